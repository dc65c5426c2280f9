package oclc.artifact;

/** The oclc release, recorded in every manifest and every kernel-cache key. */
public final class Version {
  public static final String OCLC = "0.1.0";

  private Version() {}
}
