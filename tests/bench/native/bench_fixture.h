/*
 * The benchmark board, its counting cache backend, and the fragmenting
 * allocation trace: shared by the callgrind driver (bench_ops.c), the Google
 * Benchmark timings (bench_time.cpp) and the allocator-quality run
 * (alloc_quality.c), so every program measures the same thing.
 *
 * The bench board (line = 32, 64 or 128 bytes, chosen at open):
 *
 *   region    bus base     size    cache
 *   cached    0x60000000   4 MiB   write-back, line as chosen
 *   uncached  0x20000000   2 MiB   none (granule = the same line)
 *
 *   device    reaches   align  max segment  coherent
 *   dma       both      4      4095         no      (a GDMA-like master)
 *   snoop     both      4      65535        yes     (snoops the cache)
 *
 * whole_cache_threshold is 0, so a range operation is always the per-line
 * loop: the figures show the loop, never a whole-cache shortcut.
 *
 * The cache backend issues one store per line to a volatile "maintenance
 * register" (what DCCMVAC / DCIMVAC are on a Cortex-M7) through
 * bench_line_loop(), the same inline loop the lower-bound benchmarks run
 * bare, and counts the lines it issued. So "API cost / lower bound" compares
 * the full dmabuf call with nothing but the unavoidable per-line work.
 */
#ifndef BENCH_FIXTURE_H
#define BENCH_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dmabuf/dmabuf.h"

#ifdef __cplusplus
extern "C" {
#endif

enum bench_region { BENCH_CACHED, BENCH_UNCACHED, BENCH_REGION_COUNT };
enum bench_device { BENCH_DMA, BENCH_SNOOP, BENCH_DEVICE_COUNT };

#define BENCH_CACHED_BYTES (4u << 20)
#define BENCH_UNCACHED_BYTES (2u << 20)
#define BENCH_MAX_LINE 128u
#define BENCH_MAX_BUFFERS 1024u
#define BENCH_MAX_ATTACHMENTS 1024u

/* The frames of issue 7: RGB565, 2 bytes per pixel. */
#define BENCH_FRAME_BYTES(width, height) ((uint32_t)(width) * (uint32_t)(height) * 2u)

/* Where the backend's per-line stores go; read by nobody. */
extern volatile uintptr_t bench_maintenance_register;

/* One maintenance store per line of [addr, addr + size); returns the lines
 * issued. Both the backend and the lower-bound loops run exactly this. */
static inline uint32_t bench_line_loop(uintptr_t addr, size_t size, uint32_t line)
{
	uint32_t lines = 0;
	for (uintptr_t at = addr, end = addr + size; at < end; at += line, lines++)
		bench_maintenance_register = at;
	return lines;
}

/* Lines the backend issued since bench_open / bench_cache_reset. */
struct bench_cache_counts {
	uint64_t lines_cleaned;
	uint64_t lines_invalidated;
	uint64_t calls;
};
extern struct bench_cache_counts bench_cache_counts;
void bench_cache_reset(void);

/* A fresh context over the bench board with @line-byte cache lines (32, 64
 * or 128), checker off (the release configuration). One at a time; NULL if
 * init failed (the reason is printed). */
struct dmabuf_ctx *bench_open(uint32_t line);
/* Deinit; false (and a message) if buffers are left or an invariant broke. */
bool bench_close(struct dmabuf_ctx *ctx);
/* CPU address of a region's memory. */
uint8_t *bench_region_memory(enum bench_region region);

/* A context whose only region is 8 MiB (an N16R8 module's octal PSRAM) at the
 * start of the esp32s3-octal-psram board's cached psram window (32-byte
 * lines), for the trace: one region, so "largest allocatable / total free"
 * is about one heap index. Checker off. */
struct dmabuf_ctx *bench_open_psram(void);

/* Exit with a message if @err is not 0: the benchmarks measure only paths
 * that succeed, so a failure is a broken setup, never a data point. */
void bench_expect(int err, const char *what);

/* ---- the allocation traces ------------------------------------------------
 *
 * Deterministic random sequences of allocations and frees over a heap of
 * @capacity bytes, independent of the allocator that runs them (so DmaBuf's
 * heap and any other allocator see exactly the same requests). Two kinds:
 *
 * The uniform (fragmenting) trace, bench_trace_init:
 *
 *   - an allocation is frame-sized with probability 1/8 (RGB565 160x120,
 *     320x240, 480x320, 640x480, 800x480, or RGB888 320x240), small otherwise
 *     (16 bytes .. 8 KiB, log-uniform: line buffers, descriptors, packets);
 *   - each step allocates with probability 1/2 if the live bytes requested
 *     stay within 3/4 of @capacity, else frees a uniformly chosen live
 *     object. The load therefore hovers just under 75 % and the free space
 *     is chopped up by every size class at once; frames live as briefly as
 *     small blocks, which no real pipeline does.
 *
 * The pipeline trace, bench_trace_init_pipeline (real use: long-lived frames
 * among churning small buffers):
 *
 *   - a pipeline holds 2 to 4 frames of one size (the table above); each
 *     step, with probability 1/BENCH_PIPELINE_REPLACE, it frees one of them
 *     and allocates its replacement (same size) at the next step; with
 *     probability 1/BENCH_PIPELINE_RESTART it restarts: frees all its frames
 *     one per step, then allocates 2 to 4 frames of a new size one per step;
 *   - every other step is small churn: a small buffer (64 bytes .. 4 KiB,
 *     log-uniform: DMA descriptors, SPI transfers) is allocated with
 *     probability 1/2 while the small live bytes stay within 1/32 of
 *     @capacity, else a uniformly chosen live small buffer is freed.
 *
 * The loaded pipeline trace, bench_trace_init_loaded: the pipeline trace
 * with the frames sized from @capacity instead of the table. At each
 * (re)start a peak load of BENCH_LOADED_MIN_PERCENT to _MAX_PERCENT of
 * @capacity is drawn (uniform, whole percents); the 2 to 4 frames share what
 * is left of it after the small budget (1/32), in whole 32-byte lines. With
 * the small buffers at their budget the heap is then 80 to 95 % full, and a
 * restart asks for frames of 19 to 46 % of the heap each: large contiguous
 * blocks, among whatever the small buffers left behind.
 *
 * Frames are the requests above BENCH_TRACE_SMALL_MAX bytes in all traces.
 *
 * An allocation the allocator refuses (fragmentation: the load is below
 * capacity) simply never becomes live; the runner skips its later free.
 * A live object is named by a slot, 0..BENCH_TRACE_MAX_LIVE-1, that the
 * generator reuses once the object is freed, so a runner keeps one handle
 * per slot.
 */
#define BENCH_TRACE_MAX_LIVE 768u
#define BENCH_TRACE_SEED 0x5EEDu
#define BENCH_TRACE_SMALL_MAX 8192u
#define BENCH_PIPELINE_REPLACE 1024u
#define BENCH_PIPELINE_RESTART 16384u
#define BENCH_PIPELINE_DELAY 16u
#define BENCH_LOADED_MIN_PERCENT 80u
#define BENCH_LOADED_MAX_PERCENT 95u

enum bench_trace_kind { BENCH_TRACE_ALLOC, BENCH_TRACE_FREE };

struct bench_trace_op {
	enum bench_trace_kind kind;
	uint32_t slot;
	uint32_t size; /* bytes requested (allocations) */
};

struct bench_trace {
	bool pipeline;
	uint32_t random;
	uint32_t budget;      /* live bytes (uniform) or small live bytes (pipeline) */
	uint32_t live_bytes;  /* of the objects in live[] */
	uint32_t live_count;
	uint32_t live[BENCH_TRACE_MAX_LIVE];      /* live slots, dense (pipeline: small ones only) */
	uint32_t position[BENCH_TRACE_MAX_LIVE];  /* slot -> index in live[] */
	uint32_t size[BENCH_TRACE_MAX_LIVE];      /* slot -> bytes */
	uint32_t free_count;
	uint32_t free_slots[BENCH_TRACE_MAX_LIVE];
	/* pipeline: its frames, their size, how many it wants, and whether it
	 * is tearing down for a restart */
	uint32_t frame_slots[4];
	uint32_t frame_count;
	uint32_t frame_target;
	uint32_t frame_size;
	uint32_t capacity; /* loaded: the heap the frames are sized from; 0 otherwise */
	bool restarting;
};

/* @capacity must exceed 4/3 of the largest frame (about 1 MiB). */
void bench_trace_init(struct bench_trace *trace, uint32_t seed, uint32_t capacity);
/* @capacity must exceed 4 of the largest frames and 1/32 of itself. */
void bench_trace_init_pipeline(struct bench_trace *trace, uint32_t seed, uint32_t capacity);
/* @capacity must be at least 64 KiB, so that every frame is above
 * BENCH_TRACE_SMALL_MAX. */
void bench_trace_init_loaded(struct bench_trace *trace, uint32_t seed, uint32_t capacity);
void bench_trace_next(struct bench_trace *trace, struct bench_trace_op *op);

/* xorshift32. */
uint32_t bench_random(uint32_t *state);

#ifdef __cplusplus
}
#endif

#endif /* BENCH_FIXTURE_H */
