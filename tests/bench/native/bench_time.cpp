// Wall-clock figures of the native API (Google Benchmark), and the ratios
// between them that docs/BENCHMARKS.md quotes, computed from the same run:
//
//   - begin/end CPU access on whole RGB565 frames against the line-count
//     lower bound (one maintenance store per line, bench_line_loop) at 32-,
//     64- and 128-byte lines;
//   - alloc/free (export/put) alone and over the fragmenting trace, attach,
//     map/unmap first and memoised, fence signal and a cross-thread
//     signal -> wait wake-up, a frame-queue cycle;
//   - the dmabuf_host_* entry points the managed host build calls, from C
//     (the native side of the managed/native ratio, tests/bench/managed).
//
// Every benchmark checks its calls; a failure stops the run (a broken setup
// is never a data point). Run: dmabuf_bench_time [google benchmark flags].
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "bench_fixture.h"
#include "dmabuf/fence.h"
#include "dmabuf/queue.h"
#include "dmabuf_host.h"

namespace {

constexpr uint32_t kLines[] = { 32, 64, 128 };
struct Frame {
	const char *name;
	uint32_t bytes;
};
constexpr Frame kFrames[] = { { "320x240", BENCH_FRAME_BYTES(320, 240) },
			      { "800x480", BENCH_FRAME_BYTES(800, 480) } };

void check(int err, const char *what)
{
	bench_expect(err, what);
}

// One context per benchmark run, closed (and checked) when the run ends.
class Context {
public:
	explicit Context(uint32_t line) : ctx_(bench_open(line))
	{
		if (!ctx_)
			std::exit(2);
	}
	~Context()
	{
		if (!bench_close(ctx_))
			std::exit(2);
	}
	Context(const Context &) = delete;
	Context &operator=(const Context &) = delete;
	struct dmabuf_ctx *get() const { return ctx_; }

private:
	struct dmabuf_ctx *ctx_;
};

// ---- CPU access against the line-count lower bound --------------------------

enum class Memory { Cached, Coherent, Uncached };

const char *memory_name(Memory memory)
{
	return memory == Memory::Cached ? "cached" : memory == Memory::Coherent ? "coherent" : "uncached";
}

struct FrameBuffer {
	dmabuf_handle_t buffer = 0;
	dmabuf_handle_t attachment = 0;
};

FrameBuffer frame_buffer(struct dmabuf_ctx *ctx, uint32_t bytes, Memory memory)
{
	FrameBuffer frame;
	uint32_t flags = memory == Memory::Uncached ? DMABUF_EXPORT_PREFER_UNCACHED : 0u;
	check(dmabuf_export(ctx, bytes, "frame", flags, &frame.buffer), "dmabuf_export");
	check(dmabuf_attach(ctx, frame.buffer, memory == Memory::Coherent ? BENCH_SNOOP : BENCH_DMA, &frame.attachment),
	      "dmabuf_attach");
	return frame;
}

void frame_release(struct dmabuf_ctx *ctx, const FrameBuffer &frame)
{
	check(dmabuf_detach(ctx, frame.attachment), "dmabuf_detach");
	check(dmabuf_put(ctx, frame.buffer), "dmabuf_put");
}

// Each iteration times, back to back: the bare line loop over the frame's
// storage (the lower bound: one maintenance store per line), the CPU drawing
// the frame (begin/end TO_DEVICE: N lines cleaned) and, after a memoised
// map/unmap FROM_DEVICE that is not timed (the device wrote the frame), the
// CPU reading it (begin/end FROM_DEVICE: N lines invalidated). Interleaved,
// a disturbance by another process hits the three alike; the fastest sample
// of each is the estimate least disturbed. The clock's own cost (calibrated)
// is taken off every sample. On a coherent device or uncached memory the
// pairs do no maintenance, and the bound is not measured.
using Clock = std::chrono::steady_clock;

double nanoseconds(Clock::time_point from, Clock::time_point to)
{
	return std::chrono::duration<double, std::nano>(to - from).count();
}

double clock_overhead_ns()
{
	static double overhead = -1.0;
	if (overhead < 0.0) {
		overhead = 1e9;
		for (int i = 0; i < 10000; i++) {
			Clock::time_point a = Clock::now();
			Clock::time_point b = Clock::now();
			overhead = std::min(overhead, nanoseconds(a, b));
		}
	}
	return overhead;
}

void cpu_sync(benchmark::State &state, uint32_t line, uint32_t bytes, Memory memory)
{
	Context context(line);
	struct dmabuf_ctx *ctx = context.get();
	FrameBuffer frame = frame_buffer(ctx, bytes, memory);
	struct dmabuf_mapping mapping;
	void *cpu;
	// Also settles the placement-time state: the first device-write map of a
	// fresh buffer invalidates it once (sync.c rule 1).
	check(dmabuf_map(ctx, frame.attachment, DMABUF_FROM_DEVICE, &mapping), "map");
	check(dmabuf_unmap(ctx, frame.attachment, &mapping, DMABUF_FROM_DEVICE), "unmap");
	check(dmabuf_begin_cpu_access(ctx, frame.buffer, DMABUF_BIDIRECTIONAL, 0, DMABUF_WHOLE, &cpu), "begin");
	check(dmabuf_end_cpu_access(ctx, frame.buffer, DMABUF_BIDIRECTIONAL, 0, DMABUF_WHOLE), "end");
	uint32_t lines = (bytes + line - 1u) / line;
	bool maintained = memory == Memory::Cached;
	double overhead = clock_overhead_ns();
	double bound = 1e12, write = 1e12, read = 1e12, write_sum = 0.0, read_sum = 0.0;
	bench_cache_reset();
	for (auto _ : state) {
		Clock::time_point t0 = Clock::now();
		if (maintained)
			benchmark::DoNotOptimize(bench_line_loop(reinterpret_cast<uintptr_t>(cpu), size_t{ lines } * line, line));
		Clock::time_point t1 = Clock::now();
		check(dmabuf_begin_cpu_access(ctx, frame.buffer, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE, &cpu), "begin");
		check(dmabuf_end_cpu_access(ctx, frame.buffer, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE), "end");
		Clock::time_point t2 = Clock::now();
		check(dmabuf_map(ctx, frame.attachment, DMABUF_FROM_DEVICE, &mapping), "map");
		check(dmabuf_unmap(ctx, frame.attachment, &mapping, DMABUF_FROM_DEVICE), "unmap");
		Clock::time_point t3 = Clock::now();
		check(dmabuf_begin_cpu_access(ctx, frame.buffer, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE, &cpu), "begin");
		check(dmabuf_end_cpu_access(ctx, frame.buffer, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE), "end");
		Clock::time_point t4 = Clock::now();
		bound = std::min(bound, nanoseconds(t0, t1) - overhead);
		write = std::min(write, nanoseconds(t1, t2) - overhead);
		read = std::min(read, nanoseconds(t3, t4) - overhead);
		write_sum += nanoseconds(t1, t2) - overhead;
		read_sum += nanoseconds(t3, t4) - overhead;
	}
	// The lines the backend issued, per pair: exactly the frame's, or none.
	uint64_t expected = maintained ? uint64_t{ lines } * static_cast<uint64_t>(state.iterations()) : 0;
	if (bench_cache_counts.lines_cleaned != expected || bench_cache_counts.lines_invalidated != expected) {
		std::fprintf(stderr, "bench: cpu-sync %s line %u: %llu lines cleaned, %llu invalidated, expected %llu each\n",
			     memory_name(memory), line, static_cast<unsigned long long>(bench_cache_counts.lines_cleaned),
			     static_cast<unsigned long long>(bench_cache_counts.lines_invalidated),
			     static_cast<unsigned long long>(expected));
		std::exit(1);
	}
	state.counters["lines"] = maintained ? lines : 0;
	state.counters["bound_ns"] = maintained ? bound : 0.0;
	state.counters["write_ns"] = write;
	state.counters["read_ns"] = read;
	state.counters["write_mean_ns"] = benchmark::Counter(write_sum, benchmark::Counter::kAvgIterations);
	state.counters["read_mean_ns"] = benchmark::Counter(read_sum, benchmark::Counter::kAvgIterations);
	frame_release(ctx, frame);
}

// ---- alloc/free, attach, map ---------------------------------------------------

void export_put(benchmark::State &state)
{
	Context context(32);
	struct dmabuf_ctx *ctx = context.get();
	for (auto _ : state) {
		dmabuf_handle_t buffer;
		check(dmabuf_export(ctx, BENCH_FRAME_BYTES(320, 240), "frame", 0, &buffer), "dmabuf_export");
		check(dmabuf_put(ctx, buffer), "dmabuf_put");
	}
}

// One step of the fragmenting trace per iteration (an export or a put).
void trace_step(benchmark::State &state)
{
	struct dmabuf_ctx *ctx = bench_open_psram();
	if (!ctx)
		std::exit(2);
	static struct bench_trace trace;
	static dmabuf_handle_t handles[BENCH_TRACE_MAX_LIVE];
	struct dmabuf_heap_stats stats;
	dmabuf_heap_stats(ctx, &stats);
	bench_trace_init(&trace, BENCH_TRACE_SEED, stats.capacity);
	for (auto _ : state) {
		struct bench_trace_op op;
		bench_trace_next(&trace, &op);
		if (op.kind == BENCH_TRACE_ALLOC) {
			int err = dmabuf_export(ctx, op.size, "trace", 0, &handles[op.slot]);
			if (err) {
				check(err == DMABUF_ENOMEM ? 0 : err, "dmabuf_export");
				handles[op.slot] = 0;
			}
		} else {
			check(dmabuf_put(ctx, handles[op.slot]), "dmabuf_put");
			handles[op.slot] = 0;
		}
	}
	for (dmabuf_handle_t &handle : handles) {
		check(dmabuf_put(ctx, handle), "dmabuf_put");
		handle = 0;
	}
	if (!bench_close(ctx))
		std::exit(2);
}

void attach_detach(benchmark::State &state)
{
	Context context(32);
	struct dmabuf_ctx *ctx = context.get();
	dmabuf_handle_t buffer;
	check(dmabuf_export(ctx, 64u * 1024u, "attach", 0, &buffer), "dmabuf_export");
	for (auto _ : state) {
		dmabuf_handle_t attachment;
		check(dmabuf_attach(ctx, buffer, BENCH_DMA, &attachment), "dmabuf_attach");
		check(dmabuf_detach(ctx, attachment), "dmabuf_detach");
	}
	check(dmabuf_put(ctx, buffer), "dmabuf_put");
}

// attach + first map + unmap + detach: the first map computes the segments.
void map_first(benchmark::State &state)
{
	Context context(32);
	struct dmabuf_ctx *ctx = context.get();
	dmabuf_handle_t buffer;
	check(dmabuf_export(ctx, 4096, "map", 0, &buffer), "dmabuf_export");
	for (auto _ : state) {
		dmabuf_handle_t attachment;
		struct dmabuf_mapping mapping;
		check(dmabuf_attach(ctx, buffer, BENCH_DMA, &attachment), "dmabuf_attach");
		check(dmabuf_map(ctx, attachment, DMABUF_TO_DEVICE, &mapping), "dmabuf_map");
		check(dmabuf_unmap(ctx, attachment, &mapping, DMABUF_TO_DEVICE), "dmabuf_unmap");
		check(dmabuf_detach(ctx, attachment), "dmabuf_detach");
	}
	check(dmabuf_put(ctx, buffer), "dmabuf_put");
}

void map_memoised(benchmark::State &state)
{
	Context context(32);
	struct dmabuf_ctx *ctx = context.get();
	FrameBuffer frame = frame_buffer(ctx, 4096, Memory::Cached);
	struct dmabuf_mapping mapping;
	for (auto _ : state) {
		check(dmabuf_map(ctx, frame.attachment, DMABUF_TO_DEVICE, &mapping), "dmabuf_map");
		check(dmabuf_unmap(ctx, frame.attachment, &mapping, DMABUF_TO_DEVICE), "dmabuf_unmap");
	}
	frame_release(ctx, frame);
}

// ---- fences and queues -----------------------------------------------------------

uint64_t fence_storage[1024];
uint64_t queue_storage[256];

struct FencePool {
	struct dmabuf_fence_pool *pool = nullptr;
	uint32_t context = 0;
	FencePool()
	{
		check(dmabuf_fence_pool_init(&pool, fence_storage, sizeof(fence_storage), 64), "fence pool");
		context = dmabuf_fence_context_alloc(pool);
	}
	~FencePool() { check(dmabuf_fence_pool_deinit(pool), "fence pool deinit"); }
};

// create + signal + put: a DMA job's fence from birth to release.
void fence_signal(benchmark::State &state)
{
	FencePool fences;
	uint32_t seqno = 0;
	for (auto _ : state) {
		dmabuf_fence_t fence;
		check(dmabuf_fence_create(fences.pool, fences.context, seqno++, &fence), "dmabuf_fence_create");
		check(dmabuf_fence_signal(fences.pool, fence), "dmabuf_fence_signal");
		check(dmabuf_fence_put(fences.pool, fence), "dmabuf_fence_put");
	}
}

// A waiter blocked in dmabuf_fence_wait, woken by a signal from another
// thread (the "interrupt"): create, hand over, signal, wake, put. The host
// port wakes through a pthread condition variable, so this is mostly the
// OS's wake-up latency.
void fence_wait_wakeup(benchmark::State &state)
{
	FencePool fences;
	std::atomic<dmabuf_fence_t> pending{ 0 };
	std::atomic<bool> stop{ false };
	std::thread signaller([&] {
		while (!stop.load(std::memory_order_acquire)) {
			dmabuf_fence_t fence = pending.exchange(0, std::memory_order_acq_rel);
			if (fence)
				check(dmabuf_fence_signal(fences.pool, fence), "dmabuf_fence_signal");
		}
	});
	uint32_t seqno = 0;
	for (auto _ : state) {
		dmabuf_fence_t fence;
		check(dmabuf_fence_create(fences.pool, fences.context, seqno++, &fence), "dmabuf_fence_create");
		pending.store(fence, std::memory_order_release);
		check(dmabuf_fence_wait(fences.pool, fence, UINT32_MAX), "dmabuf_fence_wait");
		check(dmabuf_fence_put(fences.pool, fence), "dmabuf_fence_put");
	}
	stop.store(true, std::memory_order_release);
	signaller.join();
}

// dequeue, enqueue, acquire, release: one frame around the ring.
void queue_cycle(benchmark::State &state)
{
	const dmabuf_handle_t buffers[3] = { 1, 2, 3 };
	struct dmabuf_queue *queue;
	check(dmabuf_queue_init(&queue, queue_storage, sizeof(queue_storage), buffers, 3, DMABUF_QUEUE_LATEST),
	      "dmabuf_queue_init");
	uint64_t timestamp = 0;
	for (auto _ : state) {
		struct dmabuf_queue_frame frame;
		check(dmabuf_queue_dequeue(queue, 0, &frame), "dequeue");
		check(dmabuf_queue_enqueue(queue, frame.index, timestamp++), "enqueue");
		check(dmabuf_queue_acquire(queue, 0, &frame), "acquire");
		check(dmabuf_queue_release(queue, frame.index), "release");
	}
	check(dmabuf_queue_deinit(queue), "dmabuf_queue_deinit");
}

// ---- the managed host build's entry points, from C -------------------------------
//
// The same board, buffer sizes and calls as tests/bench/managed (KEEP IN SYNC
// with Benchmarks.cs): a simulated STM32F769I-DISCO heap, a 64-byte range.

constexpr const char *kHostBoard = "stm32f769i-disco";
constexpr int32_t kHostBufferBytes = 4096;
constexpr int32_t kHostRangeBytes = 64;

struct HostHeap {
	int32_t heap = 0;
	HostHeap() { check(dmabuf_host_heap_open(kHostBoard, &heap), "dmabuf_host_heap_open"); }
	~HostHeap() { check(dmabuf_host_heap_close(heap), "dmabuf_host_heap_close"); }
};

int32_t positive(int32_t handle, const char *what)
{
	check(handle > 0 ? 0 : handle, what);
	return handle;
}

void host_export_put(benchmark::State &state)
{
	HostHeap host;
	for (auto _ : state) {
		int32_t buffer = positive(dmabuf_host_export(host.heap, kHostBufferBytes, "bench", 0), "export");
		check(dmabuf_host_put(host.heap, buffer), "put");
	}
}

void host_cpu_access(benchmark::State &state)
{
	HostHeap host;
	int32_t buffer = positive(dmabuf_host_export(host.heap, kHostBufferBytes, "bench", 0), "export");
	void *cpu;
	for (auto _ : state) {
		check(dmabuf_host_begin_cpu_access(host.heap, buffer, DMABUF_TO_DEVICE, 0, kHostRangeBytes, &cpu),
		      "begin");
		check(dmabuf_host_end_cpu_access(host.heap, buffer, DMABUF_TO_DEVICE, 0, kHostRangeBytes), "end");
	}
	check(dmabuf_host_put(host.heap, buffer), "put");
}

void host_map_unmap(benchmark::State &state)
{
	HostHeap host;
	int32_t buffer = positive(dmabuf_host_export(host.heap, kHostBufferBytes, "bench", 0), "export");
	int32_t device = dmabuf_host_device_find(host.heap, "dma2");
	check(device < 0 ? device : 0, "dmabuf_host_device_find");
	int32_t attachment = positive(dmabuf_host_attach(host.heap, buffer, device), "attach");
	int32_t mapping[5];
	for (auto _ : state) {
		check(dmabuf_host_map(host.heap, attachment, DMABUF_TO_DEVICE, mapping, 5), "map");
		check(dmabuf_host_unmap(host.heap, attachment, DMABUF_TO_DEVICE, mapping, 5), "unmap");
	}
	check(dmabuf_host_detach(host.heap, attachment), "detach");
	check(dmabuf_host_put(host.heap, buffer), "put");
}

void host_fence(benchmark::State &state)
{
	HostHeap host;
	for (auto _ : state) {
		int32_t fence = positive(dmabuf_host_fence_create(host.heap), "fence create");
		check(dmabuf_host_fence_signal(host.heap, fence, 0), "fence signal");
		check(dmabuf_host_fence_put(host.heap, fence), "fence put");
	}
}

// ---- registration and the ratio table ---------------------------------------------

std::string frame_label(const char *what, Memory memory, const Frame &frame, uint32_t line)
{
	return std::string(what) + "/" + memory_name(memory) + "/" + frame.name + "/" + std::to_string(line);
}

// With repetitions, the fastest one is reported besides the median: on a
// shared machine the minimum is the estimate least disturbed by other
// processes.
double minimum(const std::vector<double> &values)
{
	return *std::min_element(values.begin(), values.end());
}

template <class... Args>
benchmark::internal::Benchmark *add(const std::string &name, Args &&...args)
{
	return benchmark::RegisterBenchmark(name.c_str(), std::forward<Args>(args)...)
		->ComputeStatistics("min", minimum);
}

void register_all()
{
	for (const Frame &frame : kFrames)
		for (uint32_t line : kLines)
			for (Memory memory : { Memory::Cached, Memory::Coherent, Memory::Uncached })
				add(frame_label("cpu-sync", memory, frame, line), cpu_sync, line, frame.bytes, memory);
	add("export-put/320x240", export_put);
	add("trace-step", trace_step);
	add("attach-detach", attach_detach);
	add("attach-map-unmap-detach/first", map_first);
	add("map-unmap/memoised", map_memoised);
	add("fence/create-signal-put", fence_signal);
	add("fence/wait-wakeup-cross-thread", fence_wait_wakeup)->UseRealTime();
	add("queue/cycle", queue_cycle);
	add("host/export-put", host_export_put);
	add("host/begin-end-cpu-access", host_cpu_access);
	add("host/map-unmap", host_map_unmap);
	add("host/fence-create-signal-put", host_fence);
}

// Console output (plain, for the results files), and the counters of every
// run (of the fastest repetition when repeated: the "min" statistic applies
// to each counter) kept for the tables.
class CounterReporter : public benchmark::ConsoleReporter {
public:
	CounterReporter() : ConsoleReporter(OO_Tabular) {}
	void ReportRuns(const std::vector<Run> &runs) override
	{
		for (const Run &run : runs) {
			bool single = run.run_type == Run::RT_Iteration && run.repetitions <= 1;
			bool fastest = run.run_type == Run::RT_Aggregate && run.aggregate_name == "min";
			if (!run.error_occurred && (single || fastest))
				for (const auto &counter : run.counters)
					counters_[run.run_name.str()][counter.first] = counter.second.value;
		}
		ConsoleReporter::ReportRuns(runs);
	}
	double get(const std::string &name, const char *counter) const
	{
		auto run = counters_.find(name);
		if (run == counters_.end())
			return 0.0;
		auto found = run->second.find(counter);
		return found == run->second.end() ? 0.0 : found->second;
	}

private:
	std::map<std::string, std::map<std::string, double>> counters_;
};

void print_tables(const CounterReporter &reporter)
{
	std::printf("\nwhole-frame CPU access against the line-count lower bound (ns per begin/end pair,\n"
		    "fastest sample, bound and pairs interleaved in one loop):\n");
	std::printf("  %-8s %5s %6s %9s %9s %9s %7s %7s\n", "frame", "line", "lines", "bound", "write", "read",
		    "write/", "read/");
	for (const Frame &frame : kFrames) {
		for (uint32_t line : kLines) {
			std::string name = frame_label("cpu-sync", Memory::Cached, frame, line);
			double bound = reporter.get(name, "bound_ns");
			double write = reporter.get(name, "write_ns");
			double read = reporter.get(name, "read_ns");
			if (bound <= 0.0)
				continue;
			std::printf("  %-8s %5u %6.0f %9.0f %9.0f %9.0f %7.3f %7.3f\n", frame.name, line,
				    reporter.get(name, "lines"), bound, write, read, write / bound, read / bound);
		}
	}
	std::printf("\nno maintenance: ns per begin/end pair, mean over the iterations (write / read):\n");
	for (const Frame &frame : kFrames) {
		for (uint32_t line : kLines) {
			std::string coherent = frame_label("cpu-sync", Memory::Coherent, frame, line);
			std::string uncached = frame_label("cpu-sync", Memory::Uncached, frame, line);
			if (reporter.get(coherent, "write_mean_ns") <= 0.0 || reporter.get(uncached, "write_mean_ns") <= 0.0)
				continue;
			std::printf("  %-8s %5u  coherent device %5.0f / %5.0f   uncached region %5.0f / %5.0f\n",
				    frame.name, line, reporter.get(coherent, "write_mean_ns"),
				    reporter.get(coherent, "read_mean_ns"), reporter.get(uncached, "write_mean_ns"),
				    reporter.get(uncached, "read_mean_ns"));
		}
	}
}

} // namespace

int main(int argc, char **argv)
{
	benchmark::Initialize(&argc, argv);
	if (benchmark::ReportUnrecognizedArguments(argc, argv))
		return 2;
	register_all();
	CounterReporter reporter;
	benchmark::RunSpecifiedBenchmarks(&reporter);
	print_tables(reporter);
	benchmark::Shutdown();
	return 0;
}
