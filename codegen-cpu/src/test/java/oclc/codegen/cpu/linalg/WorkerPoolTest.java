package oclc.codegen.cpu.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {
  @Test
  void everyIndexRunsExactlyOnceAcrossManyLaunches() {
    for (int threads : new int[] {1, 2, 3}) {
      try (WorkerPool pool = new WorkerPool(threads)) {
        assertEquals(threads, pool.threads());
        AtomicIntegerArray runs = new AtomicIntegerArray(40);
        int launches = 3000;
        for (int launch = 0; launch < launches; launch++) {
          int count = launch % 41;
          pool.forEach(count, runs::incrementAndGet);
        }
        for (int i = 0; i < runs.length(); i++) {
          int expected = 0;
          for (int launch = 0; launch < launches; launch++) {
            expected += i < launch % 41 ? 1 : 0;
          }
          assertEquals(expected, runs.get(i), "threads=" + threads + " index " + i);
        }
      }
    }
  }

  @Test
  void theWorkIsSharedWithTheWorkers() {
    try (WorkerPool pool = new WorkerPool(2)) {
      Set<Thread> seen = ConcurrentHashMap.newKeySet();
      for (int launch = 0; launch < 200 && seen.size() < 2; launch++) {
        pool.forEach(
            64,
            i -> {
              seen.add(Thread.currentThread());
              long until = System.nanoTime() + 20_000;
              while (System.nanoTime() < until) {
                Thread.onSpinWait();
              }
            });
      }
      assertEquals(2, seen.size(), "the worker never ran an index");
    }
  }

  @Test
  void aTaskFailureReachesTheCallerAndThePoolStaysUsable() {
    for (int threads : new int[] {1, 2}) {
      try (WorkerPool pool = new WorkerPool(threads)) {
        for (int failing : new int[] {0, 7, 15}) {
          IllegalStateException boom = new IllegalStateException("index " + failing);
          IllegalStateException thrown =
              assertThrows(
                  IllegalStateException.class,
                  () ->
                      pool.forEach(
                          16,
                          i -> {
                            if (i == failing) {
                              throw boom;
                            }
                          }));
          assertSame(boom, thrown);
        }
        AtomicIntegerArray runs = new AtomicIntegerArray(10);
        pool.forEach(10, runs::incrementAndGet);
        for (int i = 0; i < 10; i++) {
          assertEquals(1, runs.get(i));
        }
      }
    }
  }

  @Test
  void launchesGoSoloWhileAWorkerKeepsTheCallerWaiting() throws InterruptedException {
    // A worker that sleeps in every index it claims stands for one descheduled by an overloaded
    // machine.
    try (WorkerPool pool = new WorkerPool(2)) {
      Thread caller = Thread.currentThread();
      AtomicIntegerArray runs = new AtomicIntegerArray(8);
      for (int launch = 0; launch < 200 && pool.soloLaunches() == 0; launch++) {
        pool.forEach(
            8,
            i -> {
              runs.incrementAndGet(i);
              try {
                Thread.sleep(Thread.currentThread() == caller ? 0 : 3);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
              long until = System.nanoTime() + 100_000;
              while (System.nanoTime() < until) {
                Thread.onSpinWait();
              }
            });
      }
      assertTrue(pool.soloLaunches() > 0, "never ran a launch on the caller alone");
      Set<Thread> seen = ConcurrentHashMap.newKeySet();
      pool.forEach(8, i -> seen.add(Thread.currentThread()));
      assertEquals(Set.of(caller), seen, "a solo launch ran on a worker");
      int first = runs.get(0);
      for (int i = 0; i < 8; i++) {
        assertEquals(first, runs.get(i), "index " + i + " ran a different number of times");
      }
    }
  }

  @Test
  void aLaunchFromInsideATaskIsRefused() {
    try (WorkerPool pool = new WorkerPool(2)) {
      IllegalStateException nested =
          assertThrows(
              IllegalStateException.class, () -> pool.forEach(1, i -> pool.forEach(2, j -> {})));
      assertTrue(nested.getMessage().contains("while a launch is running"), nested.getMessage());
    }
  }

  @Test
  void badArgumentsAndAClosedPoolAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new WorkerPool(0));
    WorkerPool pool = new WorkerPool(2);
    assertThrows(IllegalArgumentException.class, () -> pool.forEach(-1, i -> {}));
    pool.close();
    assertThrows(IllegalStateException.class, () -> pool.forEach(1, i -> {}));
    assertTrue(WorkerPool.defaultThreads() >= 1);
  }
}
