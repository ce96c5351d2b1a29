/*
 * The whole-cache threshold from data (docs/CACHE-RULES.md, "What a
 * whole-cache pass costs everyone else"): the refills a whole-cache pass
 * causes to code running beside the pipeline, measured on the host
 * simulator's residency tags over the shipped Cortex-M7 boards, and the
 * threshold the cost model derives from them and from the target instruction
 * counts (tests/bench/target/ceilings.txt, kept exact by stage 67).
 *
 * Both fail when an input moves: the refills are deterministic (seeded) and
 * compared with the committed figures below, and each board's
 * whole_cache_threshold must be the model's answer. After a change that
 * moves them, update the figures, the boards and docs/CACHE-RULES.md
 * together (the test prints everything they quote).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boards.h"
#include "sim.h"
#include "unit.h"

/* ---- the model's stated inputs ------------------------------------------ */

/* Cortex-M7 D-cache: 4 ways of 32-byte lines (TRM DDI0489 §5); least
 * recently used replacement is the simulator's assumption. */
#define WAYS 4u
#define LINE 32u

/* Cycles per refill of a 32-byte line from SRAM1 on the STM32F769 at 216 MHz
 * (AXI-to-AHB bridge, bus matrix, 0-wait SRAM): an estimate, not a
 * measurement, until the DWT self-test runs on a board. Each instruction is
 * counted as one cycle. */
#define REFILL_CYCLES 20u

/* The neighbour: a working set of N KiB (contiguous, in cached SRAM) that the
 * CPU touches line by line, uniformly at random, TOUCHES_PER_LINE times per
 * line per frame period. Sizes from an eighth of the cache to four caches. */
static const uint32_t neighbour_kib[] = { 2, 4, 8, 16, 32, 64 };
#define NEIGHBOURS (sizeof(neighbour_kib) / sizeof(neighbour_kib[0]))
#define TOUCHES_PER_LINE 4u
#define WARM_PERIODS 4u
#define MEASURED_PERIODS 8u
#define SEED 18u

/*
 * Committed figures: refills per hand-over that the whole-cache pass adds
 * over the per-line loop, for each neighbour size, averaged over the
 * measured periods and rounded down (clean path: clean_all, invalidate path:
 * clean_invalidate_all). Identical on both boards: same cache, and the
 * neighbour never shares a line with the frame.
 */
static const uint32_t committed_clean[NEIGHBOURS] = { 0, 0, 0, 0, 0, 0 };
static const uint32_t committed_invalidate[NEIGHBOURS] = { 63, 125, 251, 502, 184, 88 };

/* ---- the target counts (stage 67's exact ceilings) ---------------------- */

struct target_counts {
	double clean_one, clean_per_line;           /* backend/clean/1-line, per-line */
	double invalidate_one, invalidate_per_line; /* backend/invalidate/... */
	double clean_all, clean_invalidate_all;     /* backend/clean-all, ... */
};

static int read_count(FILE *file, const char *figure, double *out)
{
	char target[16], name[96];
	double value;
	rewind(file);
	for (char text[256]; fgets(text, sizeof(text), file);)
		if (sscanf(text, "%15s %95s %lf", target, name, &value) == 3 && !strcmp(target, "mps2") &&
		    !strcmp(name, figure)) {
			*out = value;
			return 0;
		}
	return -1;
}

static int read_counts(struct target_counts *c)
{
	FILE *file = fopen(DMABUF_TARGET_CEILINGS, "r");
	if (!file)
		return -1;
	int err = read_count(file, "backend/clean/1-line", &c->clean_one) |
		  read_count(file, "backend/clean/per-line", &c->clean_per_line) |
		  read_count(file, "backend/invalidate/1-line", &c->invalidate_one) |
		  read_count(file, "backend/invalidate/per-line", &c->invalidate_per_line) |
		  read_count(file, "backend/clean-all", &c->clean_all) |
		  read_count(file, "backend/clean-invalidate-all", &c->clean_invalidate_all);
	fclose(file);
	return err;
}

/* ---- the measurement ------------------------------------------------------ */

struct rig {
	struct sim_soc *soc;
	struct sim_cache_backend backend;
	struct dmabuf_board board;
	struct dmabuf_ctx *ctx;
	uint64_t *storage;
	dmabuf_handle_t frame, attachment;
	uint8_t *neighbour; /* in the frame's region, beside the frame */
	uint32_t neighbour_lines;
	uint64_t prng;
};

static void rig_close(struct rig *rig)
{
	if (rig->ctx) {
		dmabuf_detach(rig->ctx, rig->attachment);
		dmabuf_put(rig->ctx, rig->frame);
		dmabuf_deinit(rig->ctx);
	}
	free(rig->storage);
	sim_destroy(rig->soc);
	memset(rig, 0, sizeof(*rig));
}

/* @board with @threshold (1: every range takes the whole-cache pass, 0:
 * never), a @frame_bytes buffer in region 0 and a neighbour of @kib KiB in
 * the same region, beside the frame (not sharing a line with it). */
static int rig_open(struct rig *rig, const struct dmabuf_board *board, uint32_t threshold, uint32_t frame_bytes,
		    uint32_t kib)
{
	memset(rig, 0, sizeof(*rig));
	rig->board = *board;
	rig->board.whole_cache_threshold = threshold;
	if (sim_create(&rig->board, SEED, &rig->soc) || sim_residency_enable(rig->soc, WAYS, LINE))
		return -1;
	sim_cache_backend_init(&rig->backend, rig->soc);
	struct dmabuf_config config = {
		.board = &rig->board,
		.region_memory = sim_region_memory(rig->soc),
		.cache = &dmabuf_cache_host_sim,
		.cache_priv = &rig->backend,
		.max_buffers = 2,
		.max_attachments = 2,
	};
	size_t bytes = dmabuf_storage_size(&config);
	rig->storage = calloc(1, bytes);
	if (!rig->storage || dmabuf_init(&rig->ctx, rig->storage, bytes, &config) ||
	    dmabuf_export(rig->ctx, frame_bytes, "frame", 0, &rig->frame) ||
	    dmabuf_attach(rig->ctx, rig->frame, 0, &rig->attachment))
		return -1;
	/* the neighbour must not share a line with the frame */
	uint8_t *region = sim_region_memory(rig->soc)[0];
	struct dmabuf_mapping mapping;
	if (dmabuf_map(rig->ctx, rig->attachment, DMABUF_TO_DEVICE, &mapping) ||
	    dmabuf_unmap(rig->ctx, rig->attachment, &mapping, DMABUF_TO_DEVICE))
		return -1;
	/* below the frame if it leaves room there (the heap cuts frames from a
	 * region's high end), else above it */
	uint32_t need = kib * 1024u, top = board->regions[0].size - need;
	if (mapping.dma_addr < board->regions[0].bus_base)
		return -1;
	uint32_t at = mapping.dma_addr - board->regions[0].bus_base;
	if (at >= need)
		rig->neighbour = region;
	else if (at + frame_bytes <= top)
		rig->neighbour = region + top;
	else
		return -1;
	rig->neighbour_lines = kib * 1024u / LINE;
	rig->prng = SEED;
	return 0;
}

/* One frame period of the neighbour: TOUCHES_PER_LINE x its lines, random. */
static void neighbour_period(struct rig *rig)
{
	for (uint32_t i = 0; i < TOUCHES_PER_LINE * rig->neighbour_lines; i++) {
		uint32_t line = (uint32_t)(sim_prng_next(&rig->prng) % rig->neighbour_lines);
		sim_cache_touch(rig->soc, rig->neighbour + line * LINE);
	}
}

/* One hand-over of the whole frame: @invalidate, the device wrote it and the
 * CPU opens it for reading; else the CPU wrote it and ends its access. */
static int hand_over(struct rig *rig, int invalidate)
{
	struct dmabuf_mapping mapping;
	void *cpu;
	uint32_t direction = invalidate ? DMABUF_FROM_DEVICE : DMABUF_TO_DEVICE;
	if (invalidate && (dmabuf_map(rig->ctx, rig->attachment, direction, &mapping) ||
			   dmabuf_unmap(rig->ctx, rig->attachment, &mapping, direction)))
		return -1;
	if (dmabuf_begin_cpu_access(rig->ctx, rig->frame, direction, 0, DMABUF_WHOLE, &cpu) ||
	    dmabuf_end_cpu_access(rig->ctx, rig->frame, direction, 0, DMABUF_WHOLE))
		return -1;
	if (!invalidate && (dmabuf_map(rig->ctx, rig->attachment, direction, &mapping) ||
			    dmabuf_unmap(rig->ctx, rig->attachment, &mapping, direction)))
		return -1;
	return 0;
}

/* The neighbour's refills over MEASURED_PERIODS frame periods, each starting
 * with one hand-over, after WARM_PERIODS of warm-up; -1 on a failed call. */
static int64_t refills(const struct dmabuf_board *board, uint32_t threshold, uint32_t frame_bytes, uint32_t kib,
		       int invalidate, uint32_t *whole_cache_ops)
{
	struct rig rig;
	int64_t result = -1;
	if (rig_open(&rig, board, threshold, frame_bytes, kib) == 0) {
		struct sim_stats stats;
		struct dmabuf_cache_stats cache;
		int err = 0;
		for (uint32_t p = 0; p < WARM_PERIODS && !err; p++) {
			err = hand_over(&rig, invalidate);
			neighbour_period(&rig);
		}
		sim_stats_reset(rig.soc);
		dmabuf_cache_stats_reset(rig.ctx);
		for (uint32_t p = 0; p < MEASURED_PERIODS && !err; p++) {
			err = hand_over(&rig, invalidate);
			neighbour_period(&rig);
		}
		sim_stats(rig.soc, &stats);
		dmabuf_cache_stats(rig.ctx, &cache);
		*whole_cache_ops = (uint32_t)cache.whole_cache_ops;
		if (!err && rig.backend.violations == 0)
			result = (int64_t)stats.refills;
	}
	rig_close(&rig);
	return result;
}

/* Refills per hand-over the pass adds over the loop, for one neighbour. */
static int64_t added_refills(const struct dmabuf_board *board, uint32_t frame_bytes, uint32_t kib, int invalidate)
{
	uint32_t ops_lines = 0, ops_pass = 0;
	int64_t lines = refills(board, 0, frame_bytes, kib, invalidate, &ops_lines);
	int64_t pass = refills(board, 1, frame_bytes, kib, invalidate, &ops_pass);
	if (lines < 0 || pass < 0 || ops_lines != 0 || ops_pass != MEASURED_PERIODS)
		return -1;
	return (pass - lines) / (int64_t)MEASURED_PERIODS;
}

/* ---- the model -------------------------------------------------------------- */

/*
 * Per frame of a pipeline the frame is handed over once each way, so the
 * board's one threshold is where the two per-line loops together cost what
 * the two passes cost, refills included (instructions at a cycle each):
 *   (a_c + b_c n) + (a_i + b_i n) = W_c + W_i + p (R_c + R_i)
 * a, b: each loop's fixed part and slope; W: each pass; R: refills per pass
 * against the worst neighbour measured. Rounded up to whole KiB.
 */
static uint32_t model_threshold(const struct target_counts *c, uint32_t r_clean, uint32_t r_invalidate)
{
	double a_c = c->clean_one - c->clean_per_line, a_i = c->invalidate_one - c->invalidate_per_line;
	double lines = (c->clean_all + c->clean_invalidate_all +
			(double)REFILL_CYCLES * (double)(r_clean + r_invalidate) - a_c - a_i) /
		       (c->clean_per_line + c->invalidate_per_line);
	uint32_t bytes = (uint32_t)(lines * LINE + 0.999);
	return (bytes + 1023u) / 1024u * 1024u;
}

static void report_paths(const char *board, const char *frame, uint32_t bytes, const struct target_counts *c,
			 uint32_t r_clean, uint32_t r_invalidate, uint32_t threshold)
{
	double n = bytes / LINE;
	double loops = c->clean_one + c->clean_per_line * (n - 1) + c->invalidate_one + c->invalidate_per_line * (n - 1);
	double passes = c->clean_all + c->clean_invalidate_all;
	printf("  %-18s %-8s per-line %8.0f instructions, 0 refills | whole-cache %5.0f instructions + %4u refills"
	       " (= %6.0f cycles at %u) -> %s\n",
	       board, frame, loops, passes, r_clean + r_invalidate,
	       passes + (double)REFILL_CYCLES * (r_clean + r_invalidate), REFILL_CYCLES,
	       bytes > threshold ? "whole-cache" : "per-line");
}

static void refills_match_the_committed_figures_and_set_the_thresholds(void)
{
	const struct dmabuf_board *boards[] = { &dmabuf_board_stm32f769i_disco, &dmabuf_board_qemu_mps2_an500 };
	/* the frames each board's description holds in cached memory: SRAM1 holds
	 * a 320x240 RGB565 frame, the AN500's cached PSRAM both */
	static const struct {
		const char *name;
		uint32_t bytes;
	} frames[] = { { "320x240", 320u * 240u * 2u }, { "800x480", 800u * 480u * 2u } };
	struct target_counts counts;
	UNIT_EQ(read_counts(&counts), 0);

	uint32_t worst_clean = 0, worst_invalidate = 0;
	printf("  neighbour  refills added per hand-over by the pass (clean / invalidate)\n");
	for (size_t k = 0; k < NEIGHBOURS; k++) {
		/* the smaller board, the smaller frame: the figures do not depend
		 * on either (checked for the other board below) */
		int64_t clean = added_refills(boards[0], frames[0].bytes, neighbour_kib[k], 0);
		int64_t invalidate = added_refills(boards[0], frames[0].bytes, neighbour_kib[k], 1);
		printf("  %5" PRIu32 " KiB  %4" PRId64 " / %4" PRId64 "\n", neighbour_kib[k], clean, invalidate);
		UNIT_EQ(clean, committed_clean[k]);
		UNIT_EQ(invalidate, committed_invalidate[k]);
		if ((uint32_t)clean > worst_clean)
			worst_clean = (uint32_t)clean;
		if ((uint32_t)invalidate > worst_invalidate)
			worst_invalidate = (uint32_t)invalidate;
	}
	/* the worst neighbour on the other board, with the larger frame */
	size_t worst = 0;
	for (size_t k = 0; k < NEIGHBOURS; k++)
		if (committed_invalidate[k] == worst_invalidate)
			worst = k;
	UNIT_EQ(added_refills(boards[1], frames[1].bytes, neighbour_kib[worst], 1), worst_invalidate);

	uint32_t threshold = model_threshold(&counts, worst_clean, worst_invalidate);
	printf("  model threshold %" PRIu32 " bytes (%" PRIu32 " KiB)\n", threshold, threshold / 1024u);
	for (size_t b = 0; b < 2; b++) {
		UNIT_EQ(boards[b]->whole_cache_threshold, threshold);
		for (size_t f = 0; f < 2; f++)
			report_paths(boards[b]->name, frames[f].name, frames[f].bytes, &counts, worst_clean,
				     worst_invalidate, boards[b]->whole_cache_threshold);
	}
}

/* The tags themselves: LRU within a set, invalidate and pass drop lines,
 * clean keeps them. */
static void residency_tags_hit_miss_and_drop_as_a_cache_does(void)
{
	struct sim_soc *soc;
	UNIT_EQ(sim_create(&dmabuf_board_stm32f769i_disco, 1, &soc), 0);
	UNIT_EQ(sim_cache_touch(soc, sim_region_memory(soc)[0]), DMABUF_EINVAL); /* tags off */
	UNIT_EQ(sim_residency_enable(soc, WAYS, LINE), 0);
	UNIT_EQ(sim_residency_enable(soc, WAYS, LINE), DMABUF_EINVAL);
	uint8_t *sram = sim_region_memory(soc)[0];
	uint32_t way_stride = dmabuf_board_stm32f769i_disco.dcache_size / WAYS; /* same set */
	for (uint32_t w = 0; w < WAYS; w++)
		UNIT_EQ(sim_cache_touch(soc, sram + w * way_stride), 0);
	UNIT_EQ(sim_cache_touch(soc, sram + 31), 1);                    /* same line */
	UNIT_EQ(sim_cache_touch(soc, sram + WAYS * way_stride), 0);     /* evicts the LRU: way 1's line */
	UNIT_EQ(sim_cache_touch(soc, sram), 1);
	UNIT_EQ(sim_cache_touch(soc, sram + way_stride), 0);
	UNIT_EQ(sim_cache_clean(soc, sram, LINE), 0);
	UNIT_EQ(sim_cache_touch(soc, sram), 1);
	UNIT_EQ(sim_cache_invalidate(soc, sram, LINE), 0);
	UNIT_EQ(sim_cache_touch(soc, sram), 0);
	sim_cache_clean_all(soc);
	UNIT_EQ(sim_cache_touch(soc, sram), 1);
	sim_cache_clean_invalidate_all(soc);
	UNIT_EQ(sim_cache_touch(soc, sram), 0);
	struct sim_stats stats;
	sim_stats(soc, &stats);
	UNIT_EQ(stats.refills, 8);
	/* the SDRAM is uncached: nothing to hold */
	UNIT_EQ(sim_cache_touch(soc, sim_region_memory(soc)[2]), DMABUF_EINVAL);
	sim_destroy(soc);
}

const struct unit_suite suite_whole_cache_cost = UNIT_SUITE(whole_cache_cost,
	UNIT_TEST(residency_tags_hit_miss_and_drop_as_a_cache_does),
	UNIT_TEST(refills_match_the_committed_figures_and_set_the_thresholds));
