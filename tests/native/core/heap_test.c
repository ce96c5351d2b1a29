/*
 * The heap: coalescing, statistics, the descriptor bound, the invariant
 * checker (and that it notices corruption), and a long random trace checked
 * after every step.
 */
#include <stdio.h>
#include <string.h>

#include "../../../native-interop/core/internal.h"
#include "fixture.h"

#define KIB 1024u

static uint32_t largest_free(struct dmabuf_ctx *ctx)
{
	struct dmabuf_heap_stats stats;
	dmabuf_heap_stats(ctx, &stats);
	return stats.largest_free;
}

static void freed_blocks_merge_with_both_neighbours_at_once(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t a = fx_export(ctx, 1 * KIB, "a", 0);
	dmabuf_handle_t b = fx_export(ctx, 1 * KIB, "b", 0);
	dmabuf_handle_t c = fx_export(ctx, 1 * KIB, "c", 0);
	dmabuf_handle_t rest = fx_export(ctx, 189 * KIB, "rest", 0); /* sram now full */
	UNIT_CHECK_HELPER();
	UNIT_EQ(fx_info(ctx, rest).region, FX_SRAM);
	UNIT_EQ(largest_free(ctx), 64 * KIB); /* psram */

	UNIT_EQ(dmabuf_put(ctx, b), 0);
	FX_CHECK(ctx);
	dmabuf_handle_t two = fx_export(ctx, 2 * KIB, "two", 0); /* the 1 KiB hole is too small */
	UNIT_CHECK_HELPER();
	UNIT_ASSERT(fx_info(ctx, two).region != FX_SRAM);
	UNIT_EQ(dmabuf_put(ctx, two), 0);

	UNIT_EQ(dmabuf_put(ctx, a), 0); /* merges with the hole after it */
	FX_CHECK(ctx);
	two = fx_export(ctx, 2 * KIB, "two", 0);
	UNIT_CHECK_HELPER();
	UNIT_EQ(fx_info(ctx, two).dma_addr, FX_SRAM_BASE);
	UNIT_EQ(dmabuf_put(ctx, two), 0);

	UNIT_EQ(dmabuf_put(ctx, c), 0); /* merges with the hole before it */
	UNIT_EQ(dmabuf_put(ctx, rest), 0); /* ... and everything becomes one block */
	FX_CHECK(ctx);
	dmabuf_handle_t all = fx_export(ctx, 192 * KIB, "all", 0);
	UNIT_CHECK_HELPER();
	UNIT_EQ(fx_info(ctx, all).dma_addr, FX_SRAM_BASE);
	UNIT_EQ(dmabuf_put(ctx, all), 0);
	fx_done(ctx);
}

/* A hole left by a freed buffer goes to the next request of its size class
 * (the head of the request's own class is tried first), instead of a split
 * of a larger block. 260 lines is not a class boundary, so a search that
 * only rounds up to the next class would skip the hole for the big tail. */
static void a_freed_hole_goes_to_the_next_request_of_its_size(void)
{
	const uint32_t size = 260u * 32u;
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t a = fx_export(ctx, size, "a", 0);
	dmabuf_handle_t pin = fx_export(ctx, 1 * KIB, "pin", 0); /* keeps the hole apart from the tail */
	UNIT_CHECK_HELPER();
	UNIT_EQ(fx_info(ctx, a).dma_addr, FX_SRAM_BASE);
	UNIT_EQ(dmabuf_put(ctx, a), 0);
	dmabuf_handle_t again = fx_export(ctx, size - 32u, "again", 0); /* same class, one line less */
	UNIT_CHECK_HELPER();
	UNIT_EQ(fx_info(ctx, again).dma_addr, FX_SRAM_BASE);
	FX_CHECK(ctx);
	UNIT_EQ(dmabuf_put(ctx, again), 0);
	UNIT_EQ(dmabuf_put(ctx, pin), 0);
	fx_done(ctx);
}

/* Two-ended placement (heap.c): small blocks from a region's low end,
 * large ones (>= DMABUF_HEAP_LARGE_BYTES, frames) from its high end, so
 * interleaved exports leave one free run between the two. A small request
 * that would land in a hole a frame left (beside a frame) takes the run
 * instead, and the hole goes to the next frame of its size. */
static void small_blocks_and_frames_grow_from_opposite_ends(void)
{
	const uint32_t top = FX_SRAM_BASE + 192 * KIB;
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t f0 = fx_export(ctx, 40 * KIB, "f0", 0);
	dmabuf_handle_t s0 = fx_export(ctx, 1 * KIB, "s0", 0);
	dmabuf_handle_t f1 = fx_export(ctx, 40 * KIB, "f1", 0);
	dmabuf_handle_t s1 = fx_export(ctx, 1 * KIB, "s1", 0);
	dmabuf_handle_t f2 = fx_export(ctx, 40 * KIB, "f2", 0);
	UNIT_CHECK_HELPER();
	UNIT_EQ(fx_info(ctx, s0).dma_addr, FX_SRAM_BASE);
	UNIT_EQ(fx_info(ctx, s1).dma_addr, FX_SRAM_BASE + 1 * KIB);
	UNIT_EQ(fx_info(ctx, f0).dma_addr, top - 40 * KIB);
	UNIT_EQ(fx_info(ctx, f1).dma_addr, top - 80 * KIB);
	UNIT_EQ(fx_info(ctx, f2).dma_addr, top - 120 * KIB);
	UNIT_EQ(largest_free(ctx), 70 * KIB); /* all of sram's free bytes, in one run */

	/* f1's hole is the closest fit for a small block, but it lies beside
	 * frames: the small block goes to the run's low end. */
	UNIT_EQ(dmabuf_put(ctx, f1), 0);
	dmabuf_handle_t s2 = fx_export(ctx, 1 * KIB, "s2", 0);
	UNIT_CHECK_HELPER();
	UNIT_EQ(fx_info(ctx, s2).dma_addr, FX_SRAM_BASE + 2 * KIB);
	dmabuf_handle_t f3 = fx_export(ctx, 40 * KIB, "f3", 0); /* the replacement */
	UNIT_CHECK_HELPER();
	UNIT_EQ(fx_info(ctx, f3).dma_addr, top - 80 * KIB);
	UNIT_EQ(largest_free(ctx), 69 * KIB);
	FX_CHECK(ctx);

	dmabuf_handle_t all[] = { f0, s0, s1, f2, s2, f3 };
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		UNIT_EQ(dmabuf_put(ctx, all[i]), 0);
	UNIT_EQ(largest_free(ctx), 192 * KIB);
	fx_done(ctx);
}

/* The other end of the rule: a frame that fits a hole small blocks left
 * among small blocks is cut from the free run instead, so no frame ends up
 * between small blocks. */
static void a_frame_stays_out_of_a_hole_among_small_blocks(void)
{
	const uint32_t top = FX_SRAM_BASE + 192 * KIB;
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t small[5];
	for (int i = 0; i < 5; i++)
		small[i] = fx_export(ctx, 12 * KIB, "small", 0);
	UNIT_CHECK_HELPER();
	UNIT_EQ(fx_info(ctx, small[4]).dma_addr, FX_SRAM_BASE + 48 * KIB);
	UNIT_EQ(dmabuf_put(ctx, small[1]), 0);
	UNIT_EQ(dmabuf_put(ctx, small[2]), 0); /* a 24 KiB hole between small[0] and small[3] */
	dmabuf_handle_t frame = fx_export(ctx, 20 * KIB, "frame", 0);
	UNIT_CHECK_HELPER();
	UNIT_EQ(fx_info(ctx, frame).dma_addr, top - 20 * KIB);
	FX_CHECK(ctx);
	UNIT_EQ(dmabuf_put(ctx, frame), 0);
	UNIT_EQ(dmabuf_put(ctx, small[0]), 0);
	UNIT_EQ(dmabuf_put(ctx, small[3]), 0);
	UNIT_EQ(dmabuf_put(ctx, small[4]), 0);
	fx_done(ctx);
}

static void whole_region_and_odd_sizes_are_allocatable(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	/* A region whose size is no class boundary still hands out all of it
	 * (the own-class fallback of the good-fit search). */
	dmabuf_handle_t nc = fx_export(ctx, 32 * KIB, "nc", DMABUF_EXPORT_PREFER_UNCACHED);
	dmabuf_handle_t dtcm = fx_export(ctx, 8 * KIB, "dtcm", DMABUF_EXPORT_PREFER_UNCACHED);
	dmabuf_handle_t ps = fx_export(ctx, 64 * KIB - 63, "ps", DMABUF_EXPORT_DEFER_PLACEMENT);
	dmabuf_handle_t ps_att = fx_attach(ctx, ps, FX_DMA2);
	UNIT_CHECK_HELPER();
	struct dmabuf_mapping map;
	UNIT_EQ(dmabuf_map(ctx, ps_att, DMABUF_TO_DEVICE, &map), 0);
	UNIT_EQ(fx_info(ctx, nc).region, FX_SRAM_NC);
	UNIT_EQ(fx_info(ctx, dtcm).region, FX_DTCM);
	UNIT_EQ(fx_info(ctx, ps).region, FX_PSRAM);
	dmabuf_handle_t odd = fx_export(ctx, 192 * KIB - 31, "odd", 0);
	UNIT_CHECK_HELPER();
	struct dmabuf_heap_stats stats;
	dmabuf_heap_stats(ctx, &stats);
	UNIT_EQ(stats.in_use, stats.capacity);
	UNIT_EQ(stats.largest_free, 0);
	dmabuf_handle_t none = 0;
	UNIT_EQ(dmabuf_export(ctx, 1, "none", 0, &none), DMABUF_ENOMEM);
	FX_CHECK(ctx);
	UNIT_EQ(dmabuf_unmap(ctx, ps_att, &map, DMABUF_TO_DEVICE), 0);
	UNIT_EQ(dmabuf_detach(ctx, ps_att), 0);
	UNIT_EQ(dmabuf_put(ctx, ps), 0);
	UNIT_EQ(dmabuf_put(ctx, odd), 0);
	UNIT_EQ(dmabuf_put(ctx, dtcm), 0);
	UNIT_EQ(dmabuf_put(ctx, nc), 0);
	fx_done(ctx);
}

static void heap_stats_track_use_peak_failures_and_live_objects(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	struct dmabuf_heap_stats stats;
	dmabuf_heap_stats(ctx, &stats);
	UNIT_EQ(stats.capacity, (192 + 8 + 32 + 64) * KIB);
	UNIT_EQ(stats.in_use, 0);
	UNIT_EQ(stats.largest_free, 192 * KIB);

	dmabuf_handle_t a = fx_export(ctx, 1000, "a", 0);    /* 1024 */
	dmabuf_handle_t b = fx_export(ctx, 100 * KIB, "b", 0);
	dmabuf_handle_t att = fx_attach(ctx, a, FX_GDMA);
	UNIT_CHECK_HELPER();
	dmabuf_heap_stats(ctx, &stats);
	UNIT_EQ(stats.in_use, 1024 + 100 * KIB);
	UNIT_EQ(stats.peak, 1024 + 100 * KIB);
	UNIT_EQ(stats.largest_free, 91 * KIB);
	UNIT_EQ(stats.live_buffers, 2);
	UNIT_EQ(stats.live_attachments, 1);
	UNIT_EQ(dmabuf_put(ctx, b), 0);
	dmabuf_handle_t none = 0;
	UNIT_EQ(dmabuf_export(ctx, 200 * KIB, "none", 0, &none), DMABUF_ENOMEM);
	dmabuf_heap_stats(ctx, &stats);
	UNIT_EQ(stats.in_use, 1024);
	UNIT_EQ(stats.peak, 1024 + 100 * KIB);
	UNIT_EQ(stats.failed, 1);
	UNIT_EQ(stats.live_buffers, 1);
	UNIT_EQ(dmabuf_detach(ctx, att), 0);
	UNIT_EQ(dmabuf_put(ctx, a), 0);
	fx_done(ctx);
}

/* Descriptors not in the spare pool. */
static uint32_t descriptors_in_use(const struct dmabuf_ctx *ctx)
{
	uint32_t used = 0;
	for (uint32_t i = 0; i < ctx->heap.block_count; i++)
		used += ctx->heap.blocks[i].state != DMABUF_BLOCK_UNUSED;
	return used;
}

static void descriptor_bound_is_reached_by_holes_and_holds_through_a_move(void)
{
	/* 8 buffers, 4 regions: 2 * 8 + 4 + 1 = 21 descriptors. */
	struct fx_options options = { .max_buffers = 8 };
	struct dmabuf_ctx *ctx = fx_init(&options);
	UNIT_ASSERT(ctx);
	UNIT_EQ(ctx->heap.block_count, 21);
	dmabuf_handle_t buf[8];
	for (int i = 0; i < 8; i++)
		buf[i] = fx_export(ctx, 32, "tile", 0);
	UNIT_CHECK_HELPER();
	for (int i = 0; i < 8; i += 2)
		UNIT_EQ(dmabuf_put(ctx, buf[i]), 0);
	/* A hole before every live block and a free block at every region's
	 * end: free = allocated + regions, the worst case the bound is built on. */
	FX_CHECK(ctx);
	UNIT_EQ(descriptors_in_use(ctx), 2 * 4 + FX_REGION_COUNT);

	/* Fill the free slots without storage, then move a tile while every
	 * slot is live: the move allocates before it frees. */
	for (int i = 0; i < 8; i += 2)
		buf[i] = fx_export(ctx, 32, "later", DMABUF_EXPORT_DEFER_PLACEMENT);
	UNIT_CHECK_HELPER();
	dmabuf_handle_t att = fx_attach(ctx, buf[3], FX_DMA2); /* dma2 does not reach sram */
	UNIT_CHECK_HELPER();
	UNIT_EQ(fx_info(ctx, buf[3]).region, FX_SRAM_NC);
	FX_CHECK(ctx);
	/* The old block merged with the holes on both sides. */
	UNIT_EQ(descriptors_in_use(ctx), 2 * 4 + FX_REGION_COUNT - 1);
	UNIT_EQ(dmabuf_detach(ctx, att), 0);
	for (int i = 0; i < 8; i++)
		UNIT_EQ(dmabuf_put(ctx, buf[i]), 0);
	UNIT_EQ(descriptors_in_use(ctx), FX_REGION_COUNT); /* one free block per region */
	fx_done(ctx);
}

static void check_notices_corrupted_state(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t a = fx_export(ctx, 100, "a", 0);
	dmabuf_handle_t b = fx_export(ctx, 100, "b", 0);
	dmabuf_handle_t att = fx_attach(ctx, a, FX_DMA);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_put(ctx, a), DMABUF_EBUSY); /* keep a; just checking it is live */
	FX_CHECK(ctx);
	struct dmabuf_buffer *buf_a = &ctx->buffers[a & 0xFFFF];

	buf_a->attachments++;
	UNIT_EQ(dmabuf_check(ctx), DMABUF_EIO);
	UNIT_ASSERT(fx_message_has("dmabuf_check: attachments: buffer 'a' counts 2 attachments"));
	buf_a->attachments--;
	FX_CHECK(ctx);

	ctx->heap.in_use += 32;
	UNIT_EQ(dmabuf_check(ctx), DMABUF_EIO);
	UNIT_ASSERT(fx_message_has("heap-stats"));
	ctx->heap.in_use -= 32;

	ctx->heap.regions[FX_SRAM].sl_bitmaps[0] ^= 1u;
	UNIT_EQ(dmabuf_check(ctx), DMABUF_EIO);
	UNIT_ASSERT(fx_message_has("heap-bitmap"));
	ctx->heap.regions[FX_SRAM].sl_bitmaps[0] ^= 1u;

	struct dmabuf_heap_block *block = &ctx->heap.blocks[buf_a->block];
	block->size++;
	UNIT_EQ(dmabuf_check(ctx), DMABUF_EIO);
	UNIT_ASSERT(fx_message_has("heap-tiling"));
	block->size--;

	/* Two adjacent free blocks (what immediate coalescing prevents). */
	uint16_t b_block = ctx->buffers[b & 0xFFFF].block;
	ctx->heap.blocks[b_block].state = DMABUF_BLOCK_FREE;
	UNIT_EQ(dmabuf_check(ctx), DMABUF_EIO);
	ctx->heap.blocks[b_block].state = DMABUF_BLOCK_ALLOCATED;

	ctx->live_buffers++;
	UNIT_EQ(dmabuf_check(ctx), DMABUF_EIO);
	UNIT_ASSERT(fx_message_has("dmabuf_check: counts"));
	ctx->live_buffers--;
	FX_CHECK(ctx);

	UNIT_EQ(dmabuf_detach(ctx, att), 0);
	UNIT_EQ(dmabuf_put(ctx, a), 0);
	UNIT_EQ(dmabuf_put(ctx, b), 0);
	fx_done(ctx);
}

/* ---- random trace ------------------------------------------------------ */

#define TRACE_BUFFERS 24
#define TRACE_STEPS 3000

struct trace_buffer {
	dmabuf_handle_t handle;     /* 0 = slot unused by the trace */
	dmabuf_handle_t att[FX_DEVICE_COUNT];
	struct dmabuf_mapping map[FX_DEVICE_COUNT];
	bool mapped[FX_DEVICE_COUNT];
	bool cpu_open;
	enum dmabuf_direction cpu_direction;
	uint32_t cpu_offset, cpu_length;
	uint32_t size;
	uint8_t seed;               /* contents written at the last CPU write */
	bool has_contents;
};

static struct trace_buffer trace[TRACE_BUFFERS];

static uint32_t pick(uint32_t *rng, uint32_t n)
{
	return fx_random(rng) % n;
}

static void trace_release(struct dmabuf_ctx *ctx, struct trace_buffer *t)
{
	if (t->cpu_open)
		UNIT_EQ(dmabuf_end_cpu_access(ctx, t->handle, t->cpu_direction, t->cpu_offset, t->cpu_length), 0);
	t->cpu_open = false;
	for (uint32_t d = 0; d < FX_DEVICE_COUNT; d++) {
		if (t->mapped[d])
			UNIT_EQ(dmabuf_unmap(ctx, t->att[d], &t->map[d], (enum dmabuf_direction)t->map[d].direction), 0);
		if (t->att[d])
			UNIT_EQ(dmabuf_detach(ctx, t->att[d]), 0);
		t->mapped[d] = false;
		t->att[d] = 0;
	}
	UNIT_EQ(dmabuf_put(ctx, t->handle), 0);
	t->handle = 0;
}

static void trace_step(struct dmabuf_ctx *ctx, uint32_t *rng, struct trace_buffer *t)
{
	uint32_t op = pick(rng, 8);
	int err;
	if (!t->handle) {
		static const uint32_t flags[] = { 0, 0, DMABUF_EXPORT_PREFER_UNCACHED, DMABUF_EXPORT_DEFER_PLACEMENT };
		uint32_t size = 1 + pick(rng, pick(rng, 4) == 0 ? 60000 : 3000);
		err = dmabuf_export(ctx, size, "trace", flags[pick(rng, 4)], &t->handle);
		UNIT_ASSERT(err == 0 || err == DMABUF_ENOMEM);
		if (err)
			t->handle = 0;
		t->size = size;
		t->has_contents = false;
		return;
	}
	uint32_t dev = pick(rng, FX_DEVICE_COUNT);
	void *cpu;
	switch (op) {
	case 0: /* tear down: end the access, unmap, detach, put */
		trace_release(ctx, t);
		return;
	case 1: /* attach: may move the storage, or be refused */
		if (t->att[dev])
			return;
		err = dmabuf_attach(ctx, t->handle, (int)dev, &t->att[dev]);
		UNIT_ASSERT(err == 0 || err == DMABUF_EFAULT || err == DMABUF_ENOMEM || err == DMABUF_EBUSY);
		if (err)
			t->att[dev] = 0;
		return;
	case 2: /* detach */
		if (!t->att[dev] || t->mapped[dev])
			return;
		UNIT_EQ(dmabuf_detach(ctx, t->att[dev]), 0);
		t->att[dev] = 0;
		return;
	case 3: /* map */
		if (!t->att[dev] || t->mapped[dev])
			return;
		err = dmabuf_map(ctx, t->att[dev], (enum dmabuf_direction)(1 + pick(rng, 3)), &t->map[dev]);
		UNIT_ASSERT(err == 0 || err == DMABUF_EBUSY || err == DMABUF_ENOMEM);
		t->mapped[dev] = err == 0;
		return;
	case 4: /* unmap */
		if (!t->mapped[dev])
			return;
		UNIT_EQ(dmabuf_unmap(ctx, t->att[dev], &t->map[dev], (enum dmabuf_direction)t->map[dev].direction), 0);
		t->mapped[dev] = false;
		return;
	case 5: /* begin CPU access on a random range */
		if (t->cpu_open)
			return;
		t->cpu_direction = (enum dmabuf_direction)(1 + pick(rng, 3));
		t->cpu_offset = pick(rng, t->size);
		t->cpu_length = pick(rng, 2) ? DMABUF_WHOLE : 1 + pick(rng, t->size - t->cpu_offset);
		err = dmabuf_begin_cpu_access(ctx, t->handle, t->cpu_direction, t->cpu_offset, t->cpu_length, &cpu);
		UNIT_ASSERT(err == 0 || err == DMABUF_EBUSY || err == DMABUF_ENOMEM);
		t->cpu_open = err == 0;
		return;
	case 6: /* end CPU access */
		if (!t->cpu_open)
			return;
		UNIT_EQ(dmabuf_end_cpu_access(ctx, t->handle, t->cpu_direction, t->cpu_offset, t->cpu_length), 0);
		t->cpu_open = false;
		return;
	default: /* whole-buffer write then read back: contents survive moves */
		if (t->cpu_open)
			return;
		err = dmabuf_begin_cpu_access(ctx, t->handle, DMABUF_BIDIRECTIONAL, 0, DMABUF_WHOLE, &cpu);
		if (err) {
			UNIT_ASSERT(err == DMABUF_EBUSY || err == DMABUF_ENOMEM);
			return;
		}
		uint8_t *bytes = cpu;
		if (t->has_contents)
			for (uint32_t i = 0; i < t->size; i++)
				UNIT_EQ(bytes[i], (uint8_t)(t->seed + i));
		t->seed = (uint8_t)fx_random(rng);
		for (uint32_t i = 0; i < t->size; i++)
			bytes[i] = (uint8_t)(t->seed + i);
		UNIT_EQ(dmabuf_end_cpu_access(ctx, t->handle, DMABUF_BIDIRECTIONAL, 0, DMABUF_WHOLE), 0);
		/* No device really writes here (the recording backend moves no
		 * bytes), so the contents must survive every move exactly. */
		t->has_contents = true;
		return;
	}
}

static void random_trace_keeps_every_invariant_after_every_step(void)
{
	struct fx_options options = { .max_buffers = TRACE_BUFFERS, .max_attachments = 64, .checker_off = false };
	struct dmabuf_ctx *ctx = fx_init(&options);
	UNIT_ASSERT(ctx);
	memset(trace, 0, sizeof(trace));
	uint32_t rng = 0x12345678u;
	uint32_t moves = 0, exports = 0;
	for (uint32_t step = 0; step < TRACE_STEPS; step++) {
		struct trace_buffer *t = &trace[pick(&rng, TRACE_BUFFERS)];
		int32_t region_before = t->handle ? fx_info(ctx, t->handle).region : -2;
		bool existed = t->handle != 0;
		trace_step(ctx, &rng, t);
		UNIT_CHECK_HELPER();
		if (!existed && t->handle)
			exports++;
		if (existed && t->handle && region_before >= 0 && fx_info(ctx, t->handle).region != region_before)
			moves++;
		int err = dmabuf_check(ctx);
		if (err) {
			unit_fail(__FILE__, __LINE__, fx_message, (long long)step, 0);
			return;
		}
		struct dmabuf_heap_stats stats;
		dmabuf_heap_stats(ctx, &stats);
		UNIT_ASSERT(descriptors_in_use(ctx) <= 2 * (stats.live_buffers + 1) + FX_REGION_COUNT);
	}
	printf("  trace: %u exports, %u moves\n", (unsigned)exports, (unsigned)moves);
	UNIT_ASSERT(exports > 100);
	UNIT_ASSERT(moves > 0); /* the trace exercised migration */

	/* Unwind everything; the heap must be whole again. */
	for (uint32_t i = 0; i < TRACE_BUFFERS; i++) {
		if (trace[i].handle)
			trace_release(ctx, &trace[i]);
		UNIT_CHECK_HELPER();
	}
	struct dmabuf_heap_stats stats;
	dmabuf_heap_stats(ctx, &stats);
	UNIT_EQ(stats.in_use, 0);
	UNIT_EQ(stats.largest_free, 192 * KIB);
	UNIT_EQ(descriptors_in_use(ctx), FX_REGION_COUNT);
	fx_done(ctx);
}

const struct unit_suite suite_core_heap = UNIT_SUITE(core_heap,
	UNIT_TEST(freed_blocks_merge_with_both_neighbours_at_once),
	UNIT_TEST(a_freed_hole_goes_to_the_next_request_of_its_size),
	UNIT_TEST(small_blocks_and_frames_grow_from_opposite_ends),
	UNIT_TEST(a_frame_stays_out_of_a_hole_among_small_blocks),
	UNIT_TEST(whole_region_and_odd_sizes_are_allocatable),
	UNIT_TEST(heap_stats_track_use_peak_failures_and_live_objects),
	UNIT_TEST(descriptor_bound_is_reached_by_holes_and_holds_through_a_move),
	UNIT_TEST(check_notices_corrupted_state),
	UNIT_TEST(random_trace_keeps_every_invariant_after_every_step));
