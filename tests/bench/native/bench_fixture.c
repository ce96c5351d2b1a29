#include "bench_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boards.h"

#define CACHED_BASE 0x60000000u
#define UNCACHED_BASE 0x20000000u

volatile uintptr_t bench_maintenance_register;
struct bench_cache_counts bench_cache_counts;

static _Alignas(BENCH_MAX_LINE) uint8_t cached_memory[BENCH_CACHED_BYTES];
static _Alignas(BENCH_MAX_LINE) uint8_t uncached_memory[BENCH_UNCACHED_BYTES];
static void *const region_memory[BENCH_REGION_COUNT] = { cached_memory, uncached_memory };

static struct dmabuf_region_desc regions[BENCH_REGION_COUNT] = {
	[BENCH_CACHED] = { "cached", CACHED_BASE, BENCH_CACHED_BYTES, DMABUF_REGION_CACHEABLE, 32 },
	[BENCH_UNCACHED] = { "uncached", UNCACHED_BASE, BENCH_UNCACHED_BYTES, 0, 32 },
};

static const struct dmabuf_window both_regions[] = {
	{ CACHED_BASE, BENCH_CACHED_BYTES },
	{ UNCACHED_BASE, BENCH_UNCACHED_BYTES },
};

static const struct dmabuf_device_desc devices[BENCH_DEVICE_COUNT] = {
	[BENCH_DMA] = { "dma", both_regions, 2, 4, 4095, 0, 0 },
	[BENCH_SNOOP] = { "snoop", both_regions, 2, 4, 65535, 0, 1 },
};

static const struct dmabuf_board board = {
	.name = "bench",
	.description = "benchmark board: cached + uncached region, one non-coherent and one coherent master",
	.regions = regions,
	.region_count = BENCH_REGION_COUNT,
	.devices = devices,
	.device_count = BENCH_DEVICE_COUNT,
	.dcache_size = 32u * 1024u,
	.whole_cache_threshold = 0,
};

static int count_clean(void *priv, void *addr, size_t size, uint32_t line)
{
	(void)priv;
	bench_cache_counts.lines_cleaned += bench_line_loop((uintptr_t)addr, size, line);
	bench_cache_counts.calls++;
	return 0;
}

static int count_invalidate(void *priv, void *addr, size_t size, uint32_t line)
{
	(void)priv;
	bench_cache_counts.lines_invalidated += bench_line_loop((uintptr_t)addr, size, line);
	bench_cache_counts.calls++;
	return 0;
}

static const struct dmabuf_cache_ops counting_backend = {
	.clean_range = count_clean,
	.invalidate_range = count_invalidate,
};

void bench_cache_reset(void)
{
	memset(&bench_cache_counts, 0, sizeof(bench_cache_counts));
}

uint8_t *bench_region_memory(enum bench_region region)
{
	return region_memory[region];
}

static uint64_t storage[32768];

static struct dmabuf_ctx *open_context(const struct dmabuf_board *over, void *const *memory)
{
	const struct dmabuf_config config = {
		.board = over,
		.region_memory = memory,
		.cache = &counting_backend,
		.max_buffers = BENCH_MAX_BUFFERS,
		.max_attachments = BENCH_MAX_ATTACHMENTS,
		.checker = false,
	};
	bench_cache_reset();
	struct dmabuf_ctx *ctx = NULL;
	int err = dmabuf_init(&ctx, storage, sizeof(storage), &config);
	if (err) {
		fprintf(stderr, "bench: dmabuf_init failed (%s); storage needs %zu bytes\n", dmabuf_strerror(err),
			dmabuf_storage_size(&config));
		return NULL;
	}
	return ctx;
}

struct dmabuf_ctx *bench_open(uint32_t line)
{
	if (line != 32 && line != 64 && line != 128) {
		fprintf(stderr, "bench: line %u is not 32, 64 or 128\n", (unsigned)line);
		return NULL;
	}
	for (uint32_t r = 0; r < BENCH_REGION_COUNT; r++)
		regions[r].cache_line = line;
	return open_context(&board, region_memory);
}

#define PSRAM_BYTES (8u << 20)
static _Alignas(BENCH_MAX_LINE) uint8_t psram_memory[PSRAM_BYTES];
static void *const psram_region_memory[1] = { psram_memory };

struct dmabuf_ctx *bench_open_psram(void)
{
	static struct dmabuf_board psram_board;
	static struct dmabuf_region_desc psram;
	const struct dmabuf_board *source = &dmabuf_board_esp32s3_octal_psram;
	const struct dmabuf_region_desc *window = NULL;
	for (uint32_t r = 0; r < source->region_count; r++)
		if (strcmp(source->regions[r].name, "psram") == 0)
			window = &source->regions[r];
	if (!window || window->size < PSRAM_BYTES || window->cache_line > BENCH_MAX_LINE) {
		fprintf(stderr, "bench: board %s has no psram region of at least %u bytes\n", source->name,
			PSRAM_BYTES);
		return NULL;
	}
	/* The board's region is the whole external window; cut the 8 MB the
	 * PSRAM chip provides out of it, as a firmware's runtime board does. */
	psram = *window;
	psram.size = PSRAM_BYTES;
	psram_board = *source;
	psram_board.regions = &psram;
	psram_board.region_count = 1;
	/* Devices are irrelevant to allocation; keep one that reaches it. */
	psram_board.device_count = 1;
	return open_context(&psram_board, psram_region_memory);
}

bool bench_close(struct dmabuf_ctx *ctx)
{
	int check = dmabuf_check(ctx);
	int err = dmabuf_deinit(ctx);
	if (check || err) {
		fprintf(stderr, "bench: context left broken (check %s, deinit %s)\n", dmabuf_strerror(check),
			dmabuf_strerror(err));
		return false;
	}
	return true;
}

void bench_expect(int err, const char *what)
{
	if (err) {
		fprintf(stderr, "bench: %s failed: %s\n", what, dmabuf_strerror(err));
		exit(2);
	}
}

/* ---- the allocation traces ---------------------------------------------- */

uint32_t bench_random(uint32_t *state)
{
	uint32_t x = *state;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

static const uint32_t frame_sizes[] = {
	BENCH_FRAME_BYTES(160, 120), BENCH_FRAME_BYTES(320, 240), BENCH_FRAME_BYTES(480, 320),
	BENCH_FRAME_BYTES(640, 480), BENCH_FRAME_BYTES(800, 480), 320u * 240u * 3u,
};
#define FRAME_SIZE_COUNT (sizeof(frame_sizes) / sizeof(frame_sizes[0]))

/* log-uniform in [@low, @low << @octaves): a power of two, then uniform
 * inside its octave */
static uint32_t small_size(uint32_t *random, uint32_t low, uint32_t octaves)
{
	uint32_t octave = low << (bench_random(random) % octaves);
	return octave + bench_random(random) % octave;
}

static uint32_t request_size(uint32_t *random)
{
	if (bench_random(random) % 8u == 0)
		return frame_sizes[bench_random(random) % FRAME_SIZE_COUNT];
	return small_size(random, 16u, 9u); /* [16, 8192) */
}

static void init(struct bench_trace *trace, uint32_t seed)
{
	memset(trace, 0, sizeof(*trace));
	trace->random = seed ? seed : 1u;
	for (uint32_t i = 0; i < BENCH_TRACE_MAX_LIVE; i++)
		trace->free_slots[i] = BENCH_TRACE_MAX_LIVE - 1u - i;
	trace->free_count = BENCH_TRACE_MAX_LIVE;
}

void bench_trace_init(struct bench_trace *trace, uint32_t seed, uint32_t capacity)
{
	init(trace, seed);
	trace->budget = capacity / 4u * 3u;
}

static void new_pipeline(struct bench_trace *trace)
{
	trace->frame_target = 2u + bench_random(&trace->random) % 3u;
	if (!trace->capacity) {
		trace->frame_size = frame_sizes[bench_random(&trace->random) % FRAME_SIZE_COUNT];
		return;
	}
	/* loaded: the frames fill what the churn leaves of a peak of 80 to
	 * 95 % of the heap, whole lines (32 bytes) each */
	uint32_t percent = BENCH_LOADED_MIN_PERCENT +
			   bench_random(&trace->random) % (BENCH_LOADED_MAX_PERCENT - BENCH_LOADED_MIN_PERCENT + 1u);
	uint32_t frames = (uint32_t)((uint64_t)trace->capacity * percent / 100u) - trace->budget;
	trace->frame_size = frames / trace->frame_target / 32u * 32u;
}

void bench_trace_init_pipeline(struct bench_trace *trace, uint32_t seed, uint32_t capacity)
{
	init(trace, seed);
	trace->pipeline = true;
	trace->budget = capacity / 32u;
	new_pipeline(trace);
}

void bench_trace_init_loaded(struct bench_trace *trace, uint32_t seed, uint32_t capacity)
{
	init(trace, seed);
	trace->pipeline = true;
	trace->budget = capacity / 32u;
	trace->capacity = capacity;
	new_pipeline(trace);
}

static void alloc_op(struct bench_trace *trace, uint32_t size, struct bench_trace_op *op)
{
	uint32_t slot = trace->free_slots[--trace->free_count];
	trace->size[slot] = size;
	*op = (struct bench_trace_op){ BENCH_TRACE_ALLOC, slot, size };
}

static void free_op(struct bench_trace *trace, uint32_t slot, struct bench_trace_op *op)
{
	trace->free_slots[trace->free_count++] = slot;
	*op = (struct bench_trace_op){ BENCH_TRACE_FREE, slot, trace->size[slot] };
}

/* Allocate @size as a new member of live[]. */
static void live_alloc(struct bench_trace *trace, uint32_t size, struct bench_trace_op *op)
{
	alloc_op(trace, size, op);
	trace->position[op->slot] = trace->live_count;
	trace->live[trace->live_count++] = op->slot;
	trace->live_bytes += size;
}

/* Free a uniformly chosen member of live[]. */
static void live_free(struct bench_trace *trace, struct bench_trace_op *op)
{
	uint32_t index = bench_random(&trace->random) % trace->live_count;
	uint32_t slot = trace->live[index];
	uint32_t last = trace->live[--trace->live_count];
	trace->live[index] = last;
	trace->position[last] = index;
	trace->live_bytes -= trace->size[slot];
	free_op(trace, slot, op);
}

/* Free frame @index of the pipeline (the last one takes its place). */
static void frame_free(struct bench_trace *trace, uint32_t index, struct bench_trace_op *op)
{
	uint32_t slot = trace->frame_slots[index];
	trace->frame_slots[index] = trace->frame_slots[--trace->frame_count];
	free_op(trace, slot, op);
}

static void small_churn(struct bench_trace *trace, struct bench_trace_op *op)
{
	uint32_t size = small_size(&trace->random, 64u, 6u); /* [64, 4096) */
	bool coin = bench_random(&trace->random) % 2u == 0;
	/* keep a slot for every frame the pipeline may want */
	bool fits = trace->free_count > 4u && size <= trace->budget - trace->live_bytes;
	if (fits && (coin || trace->live_count == 0))
		live_alloc(trace, size, op);
	else
		live_free(trace, op);
}

static void pipeline_next(struct bench_trace *trace, struct bench_trace_op *op)
{
	/* the pipeline's pending frees and allocations, one in
	 * BENCH_PIPELINE_DELAY steps: other work churns in between */
	bool pending = trace->restarting || trace->frame_count < trace->frame_target;
	if (pending && bench_random(&trace->random) % BENCH_PIPELINE_DELAY != 0) {
		small_churn(trace, op);
		return;
	}
	if (trace->restarting) {
		if (trace->frame_count > 0) {
			frame_free(trace, trace->frame_count - 1u, op);
			return;
		}
		trace->restarting = false;
		new_pipeline(trace);
	}
	if (trace->frame_count < trace->frame_target) {
		alloc_op(trace, trace->frame_size, op);
		trace->frame_slots[trace->frame_count++] = op->slot;
		return;
	}
	if (bench_random(&trace->random) % BENCH_PIPELINE_RESTART == 0) {
		trace->restarting = true;
		frame_free(trace, trace->frame_count - 1u, op);
		return;
	}
	if (bench_random(&trace->random) % BENCH_PIPELINE_REPLACE == 0) {
		frame_free(trace, bench_random(&trace->random) % trace->frame_count, op);
		return;
	}
	small_churn(trace, op);
}

void bench_trace_next(struct bench_trace *trace, struct bench_trace_op *op)
{
	if (trace->pipeline) {
		pipeline_next(trace, op);
		return;
	}
	uint32_t size = request_size(&trace->random);
	bool coin = bench_random(&trace->random) % 2u == 0;
	bool fits = trace->free_count > 0 && size <= trace->budget - trace->live_bytes;
	if (fits && (coin || trace->live_count == 0))
		live_alloc(trace, size, op);
	else
		live_free(trace, op);
}
