package io.arbiter.bench;

import io.arbiter.graph.store.ProvExport;
import io.arbiter.testing.TestApp;
import io.arbiter.testing.TestStore;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Export throughput and memory: records N decisions through the real service into TDB2, then
 * streams the whole store as TriG and as N-Quads to a byte counter, sampling the heap meanwhile.
 * The export should run in memory that does not grow with the store.
 *
 * <pre>mvn -q exec:java -Dexec.mainClass=io.arbiter.bench.ExportBench -Dexec.args="--n 20000"
 * </pre>
 */
public final class ExportBench {

  private ExportBench() {}

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(IntakeBench.option(args, "--n", "20000"));
    Path dir = Files.createTempDirectory("arbiter-export-bench");
    try (TestStore graph = new TestStore(dir)) {
      IntakeBench.submit(TestApp.demo(graph, false).decisions, 1024, new long[n]);
      long bundles = graph.size();
      System.out.printf(
          Locale.ROOT,
          "Arbiter export: %,d decisions, %,d bundles, store %,d MB; %d cores, Java %s, max heap %,d MB%n",
          n,
          bundles,
          graph.provStore.diskBytes() >> 20,
          Runtime.getRuntime().availableProcessors(),
          System.getProperty("java.version"),
          Runtime.getRuntime().maxMemory() >> 20);
      ProvExport export = new ProvExport(graph.journal, TestStore.IRIS);
      for (int round = 0; round < 2; round++) { // the first round warms the JIT
        for (ProvExport.Syntax syntax : ProvExport.Syntax.values()) {
          run(export, syntax, bundles, round == 1);
        }
      }
    } finally {
      IntakeBench.delete(dir);
    }
  }

  private static void run(ProvExport export, ProvExport.Syntax syntax, long bundles, boolean print)
      throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    long baseline = memory.getHeapMemoryUsage().getUsed();
    AtomicLong peak = new AtomicLong(baseline);
    AtomicBoolean running = new AtomicBoolean(true);
    Thread sampler =
        new Thread(
            () -> {
              while (running.get()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                  Thread.sleep(20);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    sampler.setDaemon(true);
    sampler.start();
    AtomicLong bytes = new AtomicLong();
    OutputStream counter =
        new OutputStream() {
          @Override
          public void write(int b) {
            bytes.incrementAndGet();
          }

          @Override
          public void write(byte[] b, int off, int len) {
            bytes.addAndGet(len);
          }
        };
    // What the export allocates is what a server's collector must clear while it streams: the
    // pauses every other request shares (the census's guard section).
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
    long t0 = System.nanoTime();
    export.write(ProvExport.Range.ALL, Long.MAX_VALUE, syntax, counter);
    double seconds = (System.nanoTime() - t0) / 1e9;
    long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
    running.set(false);
    sampler.join();
    if (print) {
      System.out.printf(
          Locale.ROOT,
          "%-8s %7.2f s  %,9.0f bundles/s  %,7.1f MB (%,.0f bytes/bundle)  allocated %,.0f KB"
              + " per bundle  heap peak +%,d MB over %,d MB after GC (sampled every 20 ms;"
              + " garbage included)%n",
          syntax,
          seconds,
          bundles / seconds,
          bytes.get() / 1e6,
          (double) bytes.get() / bundles,
          allocated / 1024.0 / bundles,
          (peak.get() - baseline) >> 20,
          baseline >> 20);
    }
  }
}
