/**
 * Schedule tuning ({@code oclc tune}): each kernel family's size classes measured on the device
 * with candidate parameters, the best kept in a schedule that a compile takes.
 */
package oclc.compiler.tune;
