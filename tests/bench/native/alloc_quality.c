/*
 * Allocator quality: run an allocation trace (bench_fixture.h: the uniform
 * fragmenting one; with --pipeline long-lived frames among churning small
 * buffers; with --loaded the same with frames sized to fill the heap to 80 to
 * 95 % at peaks) over the ESP32-S3 PSRAM region and measure, every CHECKPOINT
 * steps,
 *
 *   largest allocatable block / total free bytes
 *
 * where "largest allocatable" is found by trying (binary search on the
 * request size, each probe allocated and freed at once), not read from a
 * statistic: DmaBuf's O(1) good-fit search may refuse a size that a free
 * block could hold (heap.c), and that is what an application feels.
 *
 * Two allocators run the same trace:
 *   - DmaBuf's heap, through dmabuf_export / dmabuf_put;
 *   - a reference: exhaustive address-ordered best fit with immediate
 *     coalescing, at the same 32-byte granule. It scans every free block on
 *     every call (no time bound), and is the classic low-fragmentation
 *     yardstick: what a non-moving allocator can reach on this trace.
 *
 *   dmabuf_alloc_quality [--pipeline | --loaded] [steps [seed [trace-file]]]
 *
 * Besides the ratio it counts the frame allocations (requests above
 * BENCH_TRACE_SMALL_MAX) each allocator refused; of those, the ones refused
 * while one of its own free blocks could hold the request (exhaustive best
 * fit, in that same state, would have placed it; for the reference always
 * 0); and those DmaBuf refused although the reference, at the same step of
 * the same trace, succeeded (the two heaps' states differ by then once either
 * has refused anything: the trace goes on without the refused block).
 *
 * With a trace file the requests are also written out, one per line, for
 * allocators built outside this repository to replay (docs/BENCHMARKS.md):
 *
 *   capacity <bytes>        first line: the heap size the trace was made for
 *   a <slot> <bytes>        allocate, remember the block as <slot> (a frame
 *                           if <bytes> > 8192)
 *   f <slot>                free <slot> (skip it if its allocation failed)
 *   c                       checkpoint: measure the ratio here
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_fixture.h"

#define CHECKPOINT 2000u
#define TARGET_FINAL 0.95
#define TARGET_MEAN 0.9
#define GRANULE 32u
#define PROBE_SLOT BENCH_TRACE_MAX_LIVE

struct allocator {
	const char *name;
	bool (*alloc)(uint32_t slot, uint32_t bytes);
	void (*free)(uint32_t slot);
	uint32_t (*free_bytes)(void);
	uint32_t (*largest_block)(void); /* bytes of the largest free block */
};

/* ---- DmaBuf's heap ------------------------------------------------------------ */

static struct dmabuf_ctx *ctx;
static dmabuf_handle_t handles[BENCH_TRACE_MAX_LIVE + 1];

static bool export_slot(uint32_t slot, uint32_t bytes)
{
	int err = dmabuf_export(ctx, bytes, "trace", 0, &handles[slot]);
	bench_expect(err == DMABUF_ENOMEM ? 0 : err, "dmabuf_export");
	return err == 0;
}

static void put_slot(uint32_t slot)
{
	bench_expect(dmabuf_put(ctx, handles[slot]), "dmabuf_put");
}

static uint32_t heap_free_bytes(void)
{
	struct dmabuf_heap_stats stats;
	dmabuf_heap_stats(ctx, &stats);
	return stats.capacity - stats.in_use;
}

static uint32_t heap_largest_block(void)
{
	struct dmabuf_heap_stats stats;
	dmabuf_heap_stats(ctx, &stats);
	return stats.largest_free;
}

static const struct allocator dmabuf_heap = { "DmaBuf heap", export_slot, put_slot, heap_free_bytes,
					      heap_largest_block };

/* ---- reference: address-ordered best fit ---------------------------------------- */

/* Free spans in address order, in granules. Live objects never outnumber
 * the trace's slots, so free spans are at most one more. */
#define SPANS_MAX (BENCH_TRACE_MAX_LIVE + 2u)
static uint32_t span_start[SPANS_MAX], span_length[SPANS_MAX], span_count, free_granules;
static uint32_t block_start[BENCH_TRACE_MAX_LIVE + 1], block_length[BENCH_TRACE_MAX_LIVE + 1];

static void span_remove(uint32_t index)
{
	span_count--;
	memmove(&span_start[index], &span_start[index + 1], (span_count - index) * sizeof(uint32_t));
	memmove(&span_length[index], &span_length[index + 1], (span_count - index) * sizeof(uint32_t));
}

static bool best_fit_alloc(uint32_t slot, uint32_t bytes)
{
	uint32_t granules = (bytes + GRANULE - 1u) / GRANULE, best = SPANS_MAX;
	for (uint32_t i = 0; i < span_count; i++)
		if (span_length[i] >= granules && (best == SPANS_MAX || span_length[i] < span_length[best]))
			best = i;
	if (best == SPANS_MAX)
		return false;
	block_start[slot] = span_start[best];
	block_length[slot] = granules;
	span_start[best] += granules;
	span_length[best] -= granules;
	if (span_length[best] == 0)
		span_remove(best);
	free_granules -= granules;
	return true;
}

static void best_fit_free(uint32_t slot)
{
	uint32_t start = block_start[slot], length = block_length[slot], i = 0;
	while (i < span_count && span_start[i] < start)
		i++;
	memmove(&span_start[i + 1], &span_start[i], (span_count - i) * sizeof(uint32_t));
	memmove(&span_length[i + 1], &span_length[i], (span_count - i) * sizeof(uint32_t));
	span_start[i] = start;
	span_length[i] = length;
	span_count++;
	free_granules += length;
	if (i + 1u < span_count && span_start[i] + span_length[i] == span_start[i + 1u]) {
		span_length[i] += span_length[i + 1u];
		span_remove(i + 1u);
	}
	if (i > 0 && span_start[i - 1u] + span_length[i - 1u] == span_start[i]) {
		span_length[i - 1u] += span_length[i];
		span_remove(i);
	}
}

static uint32_t best_fit_free_bytes(void)
{
	return free_granules * GRANULE;
}

static uint32_t best_fit_largest_block(void)
{
	uint32_t largest = 0;
	for (uint32_t i = 0; i < span_count; i++)
		largest = span_length[i] > largest ? span_length[i] : largest;
	return largest * GRANULE;
}

static const struct allocator best_fit = { "address-ordered best fit (reference)", best_fit_alloc, best_fit_free,
					   best_fit_free_bytes, best_fit_largest_block };

/* ---- the run --------------------------------------------------------------------- */

/* Largest request in bytes that succeeds now. Success is monotonic in the
 * size for both (DmaBuf: a larger request only searches fewer classes). */
static uint32_t largest_allocatable(const struct allocator *a)
{
	uint32_t low = 0, high = a->free_bytes(); /* low fits, high + 1 does not */
	while (low < high) {
		uint32_t mid = low + (high - low + 1u) / 2u;
		if (a->alloc(PROBE_SLOT, mid)) {
			a->free(PROBE_SLOT);
			low = mid;
		} else {
			high = mid - 1u;
		}
	}
	return low;
}

struct quality {
	unsigned allocations, refused, frames, frames_refused, checkpoints;
	unsigned frames_refused_with_room; /* while a free block could hold them */
	unsigned first_frame_refused;      /* its step, 0 if none */
	double final, worst, sum;
	uint32_t final_largest, final_free;
	bool *frame_refused_at; /* [step]: a frame allocation refused there */
};

enum trace_kind { UNIFORM, PIPELINE, LOADED };
static const char *const trace_names[] = { "uniform", "pipeline", "loaded pipeline" };

static void run(const struct allocator *a, enum trace_kind kind, uint32_t capacity, unsigned steps, uint32_t seed,
		FILE *out, struct quality *q)
{
	static struct bench_trace trace;
	static bool live[BENCH_TRACE_MAX_LIVE];
	memset(live, 0, sizeof(live));
	memset(q->frame_refused_at, 0, (steps + 1u) * sizeof(bool));
	bool *frame_refused_at = q->frame_refused_at;
	memset(q, 0, sizeof(*q));
	q->frame_refused_at = frame_refused_at;
	q->worst = 1.0;
	if (kind == PIPELINE)
		bench_trace_init_pipeline(&trace, seed, capacity);
	else if (kind == LOADED)
		bench_trace_init_loaded(&trace, seed, capacity);
	else
		bench_trace_init(&trace, seed, capacity);
	if (out)
		fprintf(out, "capacity %u\n", capacity);
	for (unsigned step = 1; step <= steps; step++) {
		struct bench_trace_op op;
		bench_trace_next(&trace, &op);
		if (op.kind == BENCH_TRACE_ALLOC) {
			q->allocations++;
			live[op.slot] = a->alloc(op.slot, op.size);
			q->refused += !live[op.slot];
			if (op.size > BENCH_TRACE_SMALL_MAX) {
				q->frames++;
				q->frames_refused += !live[op.slot];
				q->frames_refused_with_room +=
					!live[op.slot] && a->largest_block() >= (op.size + GRANULE - 1u) / GRANULE * GRANULE;
				frame_refused_at[step] = !live[op.slot];
				if (!live[op.slot] && !q->first_frame_refused)
					q->first_frame_refused = step;
			}
			if (out)
				fprintf(out, "a %u %u\n", op.slot, op.size);
		} else {
			if (live[op.slot])
				a->free(op.slot);
			live[op.slot] = false;
			if (out)
				fprintf(out, "f %u\n", op.slot);
		}
		if (step % CHECKPOINT == 0) {
			q->final_free = a->free_bytes();
			q->final_largest = largest_allocatable(a);
			q->final = q->final_free ? (double)q->final_largest / q->final_free : 1.0;
			q->worst = q->final < q->worst ? q->final : q->worst;
			q->sum += q->final;
			q->checkpoints++;
			if (out)
				fprintf(out, "c\n");
		}
	}
	for (uint32_t slot = 0; slot < BENCH_TRACE_MAX_LIVE; slot++)
		if (live[slot])
			a->free(slot);
}

static void print(const struct allocator *a, const struct quality *q)
{
	printf("%s:\n  allocations %u, refused %u; frames %u, refused %u (%u of them while a free block could "
	       "hold them)\n",
	       a->name, q->allocations, q->refused, q->frames, q->frames_refused, q->frames_refused_with_room);
	if (q->first_frame_refused)
		printf("  first frame refused at step %u\n", q->first_frame_refused);
	if (!q->checkpoints)
		return;
	printf("  final: largest allocatable %u, total free %u\n", q->final_largest, q->final_free);
	printf("  largest allocatable / total free: final %.3f, worst %.3f, mean %.3f over %u checkpoints\n",
	       q->final, q->worst, q->sum / q->checkpoints, q->checkpoints);
}

int main(int argc, char **argv)
{
	enum trace_kind kind = UNIFORM;
	if (argc > 1 && strcmp(argv[1], "--pipeline") == 0)
		kind = PIPELINE;
	else if (argc > 1 && strcmp(argv[1], "--loaded") == 0)
		kind = LOADED;
	argc -= kind != UNIFORM;
	argv += kind != UNIFORM;
	unsigned steps = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : 200000u;
	uint32_t seed = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 0) : BENCH_TRACE_SEED;
	FILE *out = NULL;
	if (argc > 3 && !(out = fopen(argv[3], "w"))) {
		perror(argv[3]);
		return 2;
	}
	struct quality dmabuf = { .frame_refused_at = calloc(steps + 1u, sizeof(bool)) };
	struct quality reference = { .frame_refused_at = calloc(steps + 1u, sizeof(bool)) };
	if (!dmabuf.frame_refused_at || !reference.frame_refused_at)
		return 2;
	ctx = bench_open_psram();
	if (!ctx)
		return 2;
	uint32_t capacity = heap_free_bytes();
	span_start[0] = 0;
	span_length[0] = capacity / GRANULE;
	span_count = 1;
	free_granules = span_length[0];

	run(&dmabuf_heap, kind, capacity, steps, seed, out, &dmabuf);
	run(&best_fit, kind, capacity, steps, seed, NULL, &reference);
	unsigned frames_only_dmabuf_refused = 0;
	for (unsigned step = 1; step <= steps; step++)
		frames_only_dmabuf_refused += dmabuf.frame_refused_at[step] && !reference.frame_refused_at[step];
	free(dmabuf.frame_refused_at);
	free(reference.frame_refused_at);
	if (out && fclose(out) != 0) {
		perror(argv[3]);
		return 2;
	}
	if (!bench_close(ctx) || free_granules != capacity / GRANULE || span_count != 1) {
		printf("allocator state broken after the trace\n");
		return 2;
	}

	printf("trace: %s, seed 0x%x, %u steps, heap = %u bytes of the esp32s3-octal-psram psram window, checkpoint every %u "
	       "steps\n",
	       trace_names[kind], seed, steps, capacity, CHECKPOINT);
	print(&dmabuf_heap, &dmabuf);
	print(&best_fit, &reference);
	printf("frames DmaBuf refused that the reference allocated: %u\n", frames_only_dmabuf_refused);
	if (dmabuf.checkpoints) {
		double mean = dmabuf.sum / dmabuf.checkpoints;
		printf("target: DmaBuf final ratio %.3f %s %.2f, mean %.3f %s %.2f, frames refused that best fit "
		       "allocated %u %s 0\n",
		       dmabuf.final, dmabuf.final >= TARGET_FINAL ? ">=" : "<", TARGET_FINAL, mean,
		       mean >= TARGET_MEAN ? ">=" : "<", TARGET_MEAN, frames_only_dmabuf_refused,
		       frames_only_dmabuf_refused == 0 ? "==" : ">");
	}
	return 0;
}
