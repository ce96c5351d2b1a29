/*
 * The coherency rig: the REAL core (dmabuf_init over the simulator's region
 * views, with the host-sim cache backend) plus one DMA engine per test-board
 * device, driven through wrappers that
 *   - run a random eviction round before and after every core call and
 *     between the chunks of every CPU read and write (evictions also follow
 *     every DMA segment, inside the simulator);
 *   - can drop every cache operation one kind of hand-over issues (the fault
 *     that proves that hand-over necessary), and count what was dropped;
 *   - record the lines each call cleaned / invalidated, from the backend and
 *     from dmabuf_cache_stats, so tests assert exact counts per step.
 * Pipelines count corrupted bytes: bytes the CPU or a device reads that differ
 * from the frame that should be there.
 *
 * One rig at a time (rig_open frees the previous one), so a test that fails
 * half-way leaks nothing.
 */
#ifndef COHERENCY_RIG_H
#define COHERENCY_RIG_H

#include <stdbool.h>
#include <stdint.h>

#include "dmabuf/dmabuf.h"
#include "dmabuf/frame.h"
#include "sim.h"
#include "sim/test_board.h"

/* The core calls a hand-over happens in. */
enum rig_call {
	RIG_CALL_NONE,
	RIG_CALL_ATTACH,  /* rule 6 (deferred clean) and rule 7 (migration clean) */
	RIG_CALL_MAP,     /* rule 1 (invalidate before a device writes) */
	RIG_CALL_UNMAP,
	RIG_CALL_BEGIN,   /* rule 4 (invalidate after a device wrote) */
	RIG_CALL_END,     /* rule 5 (clean what the CPU wrote) */
	/* A frame operation (dmabuf/frame.h) runs begin, kernel and end in one
	 * call: these drop only its begin's invalidates (rule 4) or only its
	 * end's cleans (rule 5). */
	RIG_CALL_FRAME_BEGIN,
	RIG_CALL_FRAME_END
};

#define RIG_ANY_DIRECTION 0u
#define RIG_DIRECTION(d) (1u << (d))
/* Cache operation kinds a fault drops (enum sim_cache_op bits). */
#define RIG_ALL_OPS 0u
#define RIG_OP(op) (1u << (op))

/* Test-board devices, in board order. */
enum rig_device { RIG_CAMERA, RIG_DISPLAY, RIG_DMA2, RIG_SNOOPER, RIG_DEVICES };

struct rig_schedule {
	uint64_t seed;
	uint32_t line;                   /* 32, 64 or 128 */
	uint32_t whole_cache_threshold;  /* 0: per-line operations only */
	double eviction_rate;
	bool cpu_side_evictions;         /* rounds around core calls and CPU chunks */
};

/* What one core call made the cache do. */
struct rig_step_ops {
	uint32_t lines_cleaned;
	uint32_t lines_invalidated;
	uint32_t whole_cache_ops;
};

struct rig {
	struct rig_schedule schedule;
	struct test_board board_storage;
	struct sim_soc *soc;
	struct sim_cache_backend backend;
	void *storage;
	struct dmabuf_ctx *ctx;
	struct sim_dma_engine *engine[RIG_DEVICES];
	uint64_t data_prng;

	/* fault: drop every cache operation of calls matching (call, directions) */
	enum rig_call drop_call;
	uint32_t drop_directions;
	uint32_t drop_ops;               /* RIG_ALL_OPS or RIG_OP bits */
	uint32_t dropped;                /* cache operations dropped so far */

	struct rig_step_ops last;        /* of the last wrapped call, as the backend saw it */
	struct rig_step_ops last_core;   /* the same, as dmabuf_cache_stats counted it */
	uint32_t failures;               /* core calls that failed unexpectedly */
	uint32_t corrupted;              /* bytes read that differ from what was expected */
	uint64_t dma_evictions;          /* lines evicted while DMA ran */
};

/* The schedule of @seed for the configurations the pipelines rotate through
 * (line 32/64/128 x per-line/whole-cache), with a rate from 0 to 1. */
struct rig_schedule rig_schedule_of(uint64_t seed);

/* A fresh rig for @schedule; NULL if the simulator or the core refused. */
struct rig *rig_open(const struct rig_schedule *schedule);

/* Drop the cache operations of every later call of kind @call whose direction
 * is in @directions (RIG_ANY_DIRECTION: all) and whose operation kind is in
 * @ops (RIG_ALL_OPS: all; a call that both cleans and invalidates can lose
 * one of the two). */
void rig_drop(struct rig *rig, enum rig_call call, uint32_t directions, uint32_t ops);

/* Core calls, wrapped (see top). A failure increments rig->failures. */
dmabuf_handle_t rig_export(struct rig *rig, uint32_t size, uint32_t flags);
dmabuf_handle_t rig_attach(struct rig *rig, dmabuf_handle_t buffer, enum rig_device device);
int rig_map(struct rig *rig, dmabuf_handle_t attachment, enum dmabuf_direction direction,
	    struct dmabuf_mapping *m);
int rig_unmap(struct rig *rig, dmabuf_handle_t attachment, const struct dmabuf_mapping *m,
	      enum dmabuf_direction direction);
uint8_t *rig_begin(struct rig *rig, dmabuf_handle_t buffer, enum dmabuf_direction direction,
		   uint32_t offset, uint32_t length);
int rig_end(struct rig *rig, dmabuf_handle_t buffer, enum dmabuf_direction direction,
	    uint32_t offset, uint32_t length);
int rig_detach(struct rig *rig, dmabuf_handle_t attachment);
int rig_put(struct rig *rig, dmabuf_handle_t buffer);

/* A frame operation, wrapped like the core calls: dmabuf_frame_darken of
 * (x, y, width, height) if @darken, else dmabuf_frame_fill with @rgb. The
 * kernel itself runs without eviction rounds inside (it is one native call). */
int rig_frame_draw(struct rig *rig, const struct dmabuf_frame *frame, bool darken, int32_t x, int32_t y,
		   int32_t width, int32_t height, uint32_t rgb);

/* The CPU writes @length bytes / checks them against @expected, in chunks
 * with eviction rounds between (reads count mismatches into rig->corrupted). */
void rig_cpu_write(struct rig *rig, uint8_t *cpu, const uint8_t *data, uint32_t length);
void rig_cpu_check(struct rig *rig, const uint8_t *cpu, const uint8_t *expected, uint32_t length);

/* @device's DMA over @m to completion: a device read compares what arrives
 * with @expected (mismatches into rig->corrupted); a device write stores @data. */
void rig_device_read(struct rig *rig, enum rig_device device, const struct dmabuf_mapping *m,
		     const uint8_t *expected);
void rig_device_write(struct rig *rig, enum rig_device device, const struct dmabuf_mapping *m,
		      const uint8_t *data);

/* @length fresh pseudo-random bytes from the rig's data stream. */
void rig_frame(struct rig *rig, uint8_t *frame, uint32_t length);
uint32_t rig_random(struct rig *rig, uint32_t below);

/* A dmabuf_info of @buffer (zeroed if the call fails). */
struct dmabuf_info rig_info(struct rig *rig, dmabuf_handle_t buffer);

#endif /* COHERENCY_RIG_H */
