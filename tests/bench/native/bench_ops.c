/*
 * The callgrind driver: runs each measured DmaBuf call in a known state and,
 * right after it, asks callgrind for a dump labelled with what the call was.
 * measure-callgrind.sh runs this under callgrind with collection switched on
 * only inside the measured functions (--toggle-collect), so each dump holds
 * the exact instruction count of one call, lock and callees included, and
 * nothing of the driver. Outside valgrind the requests are no-ops.
 *
 *   dmabuf_bench_ops <scenario> [iterations]
 *
 *   trace    the fragmenting trace (bench_fixture.h) on the ESP32-S3 PSRAM
 *            heap: labels export, export-refused, put
 *   pipeline the same with the pipeline trace (long-lived frames among
 *            churning small buffers)
 *   attach   attach / detach of a 64 KiB cached buffer
 *   map      first and memoised map, unmap (4 KiB cached buffer, dma device)
 *   cpu      begin/end CPU access on 320x240 and 800x480 RGB565 frames at
 *            32, 64 and 128-byte lines, next to the bare line loop
 *            (lower-bound); asserts the lines the backend issued
 *   fence    fence signal (0 and 1 callback), wait on a signalled fence
 *   queue    the four frame-queue hand-overs
 *   lock     the OS port's mutex lock/unlock pair (the share of every call)
 *
 * Every scenario also counts heap allocations made by any code linked into
 * this program (malloc and friends are wrapped at link time) during the
 * measured calls, and fails if there is one. Labels "warmup" are dumps of
 * calls made only to reach the measured state; the script drops them.
 * Exit status: 0; 1 a checked property failed; 2 broken setup.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <valgrind/callgrind.h>

#include "bench_fixture.h"
#include "dmabuf/fence.h"
#include "dmabuf/os.h"
#include "dmabuf/queue.h"

/* ---- heap allocation counter (-Wl,--wrap=...) ------------------------------ */

static unsigned long allocations;

void *__real_malloc(size_t size);
void *__real_calloc(size_t count, size_t size);
void *__real_realloc(void *ptr, size_t size);
void *__real_aligned_alloc(size_t align, size_t size);
int __real_posix_memalign(void **out, size_t align, size_t size);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t count, size_t size);
void *__wrap_realloc(void *ptr, size_t size);
void *__wrap_aligned_alloc(size_t align, size_t size);
int __wrap_posix_memalign(void **out, size_t align, size_t size);

void *__wrap_malloc(size_t size)
{
	allocations++;
	return __real_malloc(size);
}

void *__wrap_calloc(size_t count, size_t size)
{
	allocations++;
	return __real_calloc(count, size);
}

void *__wrap_realloc(void *ptr, size_t size)
{
	allocations++;
	return __real_realloc(ptr, size);
}

void *__wrap_aligned_alloc(size_t align, size_t size)
{
	allocations++;
	return __real_aligned_alloc(align, size);
}

int __wrap_posix_memalign(void **out, size_t align, size_t size)
{
	allocations++;
	return __real_posix_memalign(out, align, size);
}

static bool failed;

static void no_allocations(const char *scenario, unsigned long before)
{
	unsigned long made = allocations - before;
	printf("%s: %lu heap allocations in the measured calls\n", scenario, made);
	if (made)
		failed = true;
}

/* ---- trace ------------------------------------------------------------------ */

static struct bench_trace trace;
static dmabuf_handle_t trace_handles[BENCH_TRACE_MAX_LIVE];

static void run_trace_kind(unsigned steps, bool pipeline)
{
	struct dmabuf_ctx *ctx = bench_open_psram();
	if (!ctx)
		exit(2);
	struct dmabuf_heap_stats stats;
	dmabuf_heap_stats(ctx, &stats);
	if (pipeline)
		bench_trace_init_pipeline(&trace, BENCH_TRACE_SEED, stats.capacity);
	else
		bench_trace_init(&trace, BENCH_TRACE_SEED, stats.capacity);

	unsigned refused = 0;
	unsigned long before = allocations;
	for (unsigned step = 0; step < steps; step++) {
		struct bench_trace_op op;
		bench_trace_next(&trace, &op);
		if (op.kind == BENCH_TRACE_ALLOC) {
			int err = dmabuf_export(ctx, op.size, "trace", 0, &trace_handles[op.slot]);
			if (err) {
				bench_expect(err == DMABUF_ENOMEM ? 0 : err, "dmabuf_export");
				trace_handles[op.slot] = 0;
				refused++;
				CALLGRIND_DUMP_STATS_AT("export-refused");
			} else {
				CALLGRIND_DUMP_STATS_AT("export");
			}
		} else if (trace_handles[op.slot]) {
			bench_expect(dmabuf_put(ctx, trace_handles[op.slot]), "dmabuf_put");
			trace_handles[op.slot] = 0;
			CALLGRIND_DUMP_STATS_AT("put");
		}
	}
	no_allocations("trace", before);
	printf("trace: %u steps, %u allocations refused\n", steps, refused);
	for (uint32_t slot = 0; slot < BENCH_TRACE_MAX_LIVE; slot++)
		if (trace_handles[slot])
			bench_expect(dmabuf_put(ctx, trace_handles[slot]), "dmabuf_put");
	if (!bench_close(ctx))
		exit(2);
}

static void run_trace(unsigned steps)
{
	run_trace_kind(steps, false);
}

static void run_pipeline(unsigned steps)
{
	run_trace_kind(steps, true);
}

/* ---- attach, map ------------------------------------------------------------ */

static void run_attach(unsigned iterations)
{
	struct dmabuf_ctx *ctx = bench_open(32);
	if (!ctx)
		exit(2);
	dmabuf_handle_t buffer;
	bench_expect(dmabuf_export(ctx, 64u * 1024u, "attach", 0, &buffer), "dmabuf_export");
	unsigned long before = allocations;
	for (unsigned i = 0; i < iterations; i++) {
		dmabuf_handle_t attachment;
		bench_expect(dmabuf_attach(ctx, buffer, BENCH_DMA, &attachment), "dmabuf_attach");
		CALLGRIND_DUMP_STATS_AT("attach");
		bench_expect(dmabuf_detach(ctx, attachment), "dmabuf_detach");
		CALLGRIND_DUMP_STATS_AT("detach");
	}
	no_allocations("attach", before);
	bench_expect(dmabuf_put(ctx, buffer), "dmabuf_put");
	if (!bench_close(ctx))
		exit(2);
}

static void map_unmap(struct dmabuf_ctx *ctx, dmabuf_handle_t attachment, enum dmabuf_direction direction,
		      const char *map_label)
{
	struct dmabuf_mapping mapping;
	bench_expect(dmabuf_map(ctx, attachment, direction, &mapping), "dmabuf_map");
	CALLGRIND_DUMP_STATS_AT(map_label);
	bench_expect(dmabuf_unmap(ctx, attachment, &mapping, direction), "dmabuf_unmap");
	CALLGRIND_DUMP_STATS_AT("unmap");
}

/*
 * Per iteration a fresh attachment: its first map computes the segment list;
 * the next ones reuse it. The buffer's first FROM_DEVICE map ever also
 * invalidates the buffer (its lines may be dirty from the previous owner of
 * the memory, sync.c rule 1): that one is a warm-up, not a memoised map.
 */
static void run_map(unsigned iterations)
{
	struct dmabuf_ctx *ctx = bench_open(32);
	if (!ctx)
		exit(2);
	dmabuf_handle_t buffer, attachment;
	bench_expect(dmabuf_export(ctx, 4096, "map", 0, &buffer), "dmabuf_export");
	bench_expect(dmabuf_attach(ctx, buffer, BENCH_DMA, &attachment), "dmabuf_attach");
	map_unmap(ctx, attachment, DMABUF_FROM_DEVICE, "warmup");
	bench_expect(dmabuf_detach(ctx, attachment), "dmabuf_detach");

	bench_cache_reset();
	unsigned long before = allocations;
	for (unsigned i = 0; i < iterations; i++) {
		bench_expect(dmabuf_attach(ctx, buffer, BENCH_DMA, &attachment), "dmabuf_attach");
		map_unmap(ctx, attachment, DMABUF_TO_DEVICE, "map-first");
		map_unmap(ctx, attachment, DMABUF_TO_DEVICE, "map-memoised");
		map_unmap(ctx, attachment, DMABUF_FROM_DEVICE, "map-memoised-from-device");
		bench_expect(dmabuf_detach(ctx, attachment), "dmabuf_detach");
	}
	no_allocations("map", before);
	/* Rules 1-3: once the buffer is clean, no map or unmap touches the cache. */
	printf("map: %llu cache lines maintained by %u iterations (expected 0)\n",
	       (unsigned long long)(bench_cache_counts.lines_cleaned + bench_cache_counts.lines_invalidated),
	       iterations);
	if (bench_cache_counts.calls)
		failed = true;
	bench_expect(dmabuf_put(ctx, buffer), "dmabuf_put");
	if (!bench_close(ctx))
		exit(2);
}

/* ---- CPU access against the line-count lower bound --------------------------- */

/* The unavoidable work of one sync: one maintenance store per line. */
__attribute__((noinline)) uint32_t bench_lower_bound(uintptr_t addr, size_t size, uint32_t line);
__attribute__((noinline)) uint32_t bench_lower_bound(uintptr_t addr, size_t size, uint32_t line)
{
	return bench_line_loop(addr, size, line);
}

struct cpu_case {
	const char *name;
	uint32_t export_flags;
	enum bench_device device;
	bool maintained; /* cached region seen by a non-coherent device */
};

static const struct cpu_case cpu_cases[] = {
	{ "cached", 0, BENCH_DMA, true },
	{ "coherent", 0, BENCH_SNOOP, false },
	{ "uncached", DMABUF_EXPORT_PREFER_UNCACHED, BENCH_DMA, false },
};

struct cpu_range {
	const char *name;
	uint32_t offset, length; /* in bytes of the frame; length 0 = whole */
};

/* Exact lines of [offset, offset + length) in storage that starts on a line. */
static uint32_t lines_of(uint32_t offset, uint32_t length, uint32_t line)
{
	uint32_t first = offset / line;
	uint32_t end = (offset + length + line - 1u) / line;
	return end - first;
}

/* One begin or end call, dumped under @label, that must have invalidated and
 * cleaned exactly the given numbers of lines. */
static void sync_checked(const char *label, bool measured, int err, uint64_t invalidated, uint64_t cleaned)
{
	bench_expect(err, label);
	CALLGRIND_DUMP_STATS_AT(measured ? label : "warmup");
	if (bench_cache_counts.lines_invalidated != invalidated || bench_cache_counts.lines_cleaned != cleaned) {
		printf("cpu: %s: %llu lines invalidated, %llu cleaned; expected %llu and %llu\n", label,
		       (unsigned long long)bench_cache_counts.lines_invalidated,
		       (unsigned long long)bench_cache_counts.lines_cleaned, (unsigned long long)invalidated,
		       (unsigned long long)cleaned);
		failed = true;
	}
	bench_cache_reset();
}

/*
 * One cycle: the device writes the frame (map FROM_DEVICE, unmap), the CPU
 * reads the range (begin/end FROM_DEVICE), then draws into it (begin/end
 * TO_DEVICE). With a non-coherent device on a cached region each sync that
 * has work maintains exactly the N lines of the range (sync.c): read-begin
 * invalidates N, read-end nothing, write-end cleans N. write-begin
 * invalidates N again for a band, none for the whole frame: the core keeps
 * "a device may have written" per buffer, and only a whole-buffer invalidate
 * clears it. With a coherent device or uncached memory every sync is free.
 */
static void cpu_cycle(struct dmabuf_ctx *ctx, const struct cpu_case *c, dmabuf_handle_t buffer,
		      dmabuf_handle_t attachment, uint32_t line, const struct cpu_range *range, const char *frame,
		      bool measured)
{
	char label[96];
	struct dmabuf_mapping mapping;
	void *cpu;
	uint32_t length = range->length ? range->length : DMABUF_WHOLE;
	struct dmabuf_info info;
	bench_expect(dmabuf_get_info(ctx, buffer, &info), "dmabuf_get_info");
	uint32_t span = range->length ? range->length : info.size - range->offset;
	uint64_t lines = c->maintained ? lines_of(range->offset, span, line) : 0;
	bool whole = span == info.size;

	bench_expect(dmabuf_map(ctx, attachment, DMABUF_FROM_DEVICE, &mapping), "dmabuf_map");
	bench_expect(dmabuf_unmap(ctx, attachment, &mapping, DMABUF_FROM_DEVICE), "dmabuf_unmap");
	bench_cache_reset();

#define CPU_LABEL(what) snprintf(label, sizeof(label), "%s/%s/%s/%s/%u", what, frame, range->name, c->name, line)
	CPU_LABEL("read-begin");
	sync_checked(label, measured,
		     dmabuf_begin_cpu_access(ctx, buffer, DMABUF_FROM_DEVICE, range->offset, length, &cpu), lines, 0);
	CPU_LABEL("read-end");
	sync_checked(label, measured, dmabuf_end_cpu_access(ctx, buffer, DMABUF_FROM_DEVICE, range->offset, length),
		     0, 0);
	CPU_LABEL("write-begin");
	sync_checked(label, measured,
		     dmabuf_begin_cpu_access(ctx, buffer, DMABUF_TO_DEVICE, range->offset, length, &cpu),
		     whole ? 0 : lines, 0);
	CPU_LABEL("write-end");
	sync_checked(label, measured, dmabuf_end_cpu_access(ctx, buffer, DMABUF_TO_DEVICE, range->offset, length),
		     0, lines);
#undef CPU_LABEL

	if (measured && c->maintained) {
		uint8_t *storage = (uint8_t *)cpu - range->offset;
		uint32_t first = range->offset / line * line;
		uint32_t issued = bench_lower_bound((uintptr_t)(storage + first), (size_t)lines * line, line);
		if (issued != lines) {
			printf("cpu: lower bound issued %u lines, expected %llu\n", issued, (unsigned long long)lines);
			failed = true;
		}
		snprintf(label, sizeof(label), "lower-bound/%s/%s/%u", frame, range->name, line);
		CALLGRIND_DUMP_STATS_AT(label);
	}
}

static void run_cpu(unsigned iterations)
{
	static const uint32_t lines[] = { 32, 64, 128 };
	static const struct {
		const char *name;
		uint32_t width, height;
	} frames[] = { { "320x240", 320, 240 }, { "800x480", 800, 480 } };

	unsigned long before = allocations;
	for (size_t l = 0; l < 3; l++) {
		for (size_t f = 0; f < 2; f++) {
			uint32_t row = BENCH_FRAME_BYTES(frames[f].width, 1);
			/* whole frame, and a band of rows that starts and ends
			 * inside lines (a partial redraw) */
			const struct cpu_range ranges[] = { { "whole", 0, 0 }, { "band", 7u * row + 6u, 13u * row } };
			for (size_t c = 0; c < sizeof(cpu_cases) / sizeof(cpu_cases[0]); c++) {
				struct dmabuf_ctx *ctx = bench_open(lines[l]);
				if (!ctx)
					exit(2);
				dmabuf_handle_t buffer, attachment;
				bench_expect(dmabuf_export(ctx, BENCH_FRAME_BYTES(frames[f].width, frames[f].height),
							   "frame", cpu_cases[c].export_flags, &buffer),
					     "dmabuf_export");
				bench_expect(dmabuf_attach(ctx, buffer, cpu_cases[c].device, &attachment), "dmabuf_attach");
				for (size_t r = 0; r < 2; r++) {
					/* the first cycle settles the placement-time state */
					cpu_cycle(ctx, &cpu_cases[c], buffer, attachment, lines[l], &ranges[r],
						  frames[f].name, false);
					for (unsigned i = 0; i < iterations; i++)
						cpu_cycle(ctx, &cpu_cases[c], buffer, attachment, lines[l], &ranges[r],
							  frames[f].name, true);
				}
				bench_expect(dmabuf_detach(ctx, attachment), "dmabuf_detach");
				bench_expect(dmabuf_put(ctx, buffer), "dmabuf_put");
				if (!bench_close(ctx))
					exit(2);
			}
		}
	}
	no_allocations("cpu", before);
	printf("cpu: line counts %s\n", failed ? "WRONG" : "exact (cached + non-coherent), 0 (coherent, uncached)");
}

/* ---- fences, queues, lock ----------------------------------------------------- */

static uint64_t fence_storage[1024];
static uint64_t queue_storage[256];

static void count_callback(dmabuf_fence_t fence, int status, void *user)
{
	(void)fence;
	(void)status;
	(*(unsigned *)user)++;
}

static void run_fence(unsigned iterations)
{
	struct dmabuf_fence_pool *pool;
	bench_expect(dmabuf_fence_pool_init(&pool, fence_storage, sizeof(fence_storage), 64), "fence pool");
	uint32_t context = dmabuf_fence_context_alloc(pool);
	unsigned runs = 0;
	unsigned long before = allocations;
	for (unsigned i = 0; i < iterations; i++) {
		dmabuf_fence_t fence;
		struct dmabuf_fence_cb cb;
		bench_expect(dmabuf_fence_create(pool, context, 2 * i, &fence), "dmabuf_fence_create");
		bench_expect(dmabuf_fence_signal(pool, fence), "dmabuf_fence_signal");
		CALLGRIND_DUMP_STATS_AT("signal");
		bench_expect(dmabuf_fence_wait(pool, fence, UINT32_MAX), "dmabuf_fence_wait");
		CALLGRIND_DUMP_STATS_AT("wait-signalled");
		bench_expect(dmabuf_fence_put(pool, fence), "dmabuf_fence_put");

		bench_expect(dmabuf_fence_create(pool, context, 2 * i + 1, &fence), "dmabuf_fence_create");
		bench_expect(dmabuf_fence_add_callback(pool, fence, &cb, count_callback, &runs), "add_callback");
		bench_expect(dmabuf_fence_signal(pool, fence), "dmabuf_fence_signal");
		CALLGRIND_DUMP_STATS_AT("signal-1-callback");
		bench_expect(dmabuf_fence_put(pool, fence), "dmabuf_fence_put");
	}
	no_allocations("fence", before);
	if (runs != iterations) {
		printf("fence: %u callbacks ran, expected %u\n", runs, iterations);
		failed = true;
	}
	bench_expect(dmabuf_fence_pool_deinit(pool), "fence pool deinit");
}

static void run_queue(unsigned iterations)
{
	const dmabuf_handle_t buffers[3] = { 1, 2, 3 };
	struct dmabuf_queue *queue;
	bench_expect(dmabuf_queue_init(&queue, queue_storage, sizeof(queue_storage), buffers, 3, DMABUF_QUEUE_LATEST),
		     "dmabuf_queue_init");
	unsigned long before = allocations;
	for (unsigned i = 0; i < iterations; i++) {
		struct dmabuf_queue_frame frame;
		bench_expect(dmabuf_queue_dequeue(queue, 0, &frame), "dmabuf_queue_dequeue");
		CALLGRIND_DUMP_STATS_AT("dequeue");
		bench_expect(dmabuf_queue_enqueue(queue, frame.index, i), "dmabuf_queue_enqueue");
		CALLGRIND_DUMP_STATS_AT("enqueue");
		bench_expect(dmabuf_queue_acquire(queue, 0, &frame), "dmabuf_queue_acquire");
		CALLGRIND_DUMP_STATS_AT("acquire");
		bench_expect(dmabuf_queue_release(queue, frame.index), "dmabuf_queue_release");
		CALLGRIND_DUMP_STATS_AT("release");
	}
	no_allocations("queue", before);
	bench_expect(dmabuf_queue_deinit(queue), "dmabuf_queue_deinit");
}

__attribute__((noinline)) void bench_lock_pair(dmabuf_mutex_t *mutex);
__attribute__((noinline)) void bench_lock_pair(dmabuf_mutex_t *mutex)
{
	dmabuf_mutex_lock(mutex);
	dmabuf_mutex_unlock(mutex);
}

static void run_lock(unsigned iterations)
{
	dmabuf_mutex_t mutex;
	bench_expect(dmabuf_mutex_init(&mutex), "dmabuf_mutex_init");
	for (unsigned i = 0; i < iterations; i++) {
		bench_lock_pair(&mutex);
		CALLGRIND_DUMP_STATS_AT("lock-pair");
	}
	dmabuf_mutex_destroy(&mutex);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		void (*run)(unsigned iterations);
		unsigned iterations;
	} scenarios[] = {
		{ "trace", run_trace, 20000 }, { "pipeline", run_pipeline, 50000 }, { "attach", run_attach, 1000 },
		{ "map", run_map, 1000 },
		{ "cpu", run_cpu, 3 },         { "fence", run_fence, 1000 },   { "queue", run_queue, 1000 },
		{ "lock", run_lock, 1000 },
	};
	const char *name = argc > 1 ? argv[1] : "";
	for (size_t s = 0; s < sizeof(scenarios) / sizeof(scenarios[0]); s++) {
		if (strcmp(name, scenarios[s].name) != 0)
			continue;
		unsigned iterations = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : scenarios[s].iterations;
		scenarios[s].run(iterations);
		return failed ? 1 : 0;
	}
	fprintf(stderr, "usage: %s trace|pipeline|attach|map|cpu|fence|queue|lock [iterations]\n", argv[0]);
	return 2;
}
