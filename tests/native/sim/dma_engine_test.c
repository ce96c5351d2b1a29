/*
 * DMA engines and virtual time: segments move one by one as virtual time
 * advances, through bus memory only (unless the engine is coherent), with
 * eviction rounds between them.
 */
#include <string.h>

#include "sim/sim_fixture.h"
#include "unit.h"

struct recorder {
	uint8_t bytes[TEST_SRAM_SIZE];
	uint32_t calls;
	uint32_t moved;
	uint32_t completions;
	uint64_t completed_at;
	struct sim_soc *soc;
};

static void recorder_init(struct recorder *r, struct sim_soc *soc)
{
	memset(r, 0, sizeof(*r));
	r->soc = soc;
}

static void record_sink(void *user, uint32_t offset, const uint8_t *data, uint32_t length)
{
	struct recorder *r = user;
	memcpy(r->bytes + offset, data, length);
	r->calls++;
	r->moved += length;
}

static void pattern_source(void *user, uint32_t offset, uint8_t *data, uint32_t length)
{
	struct recorder *r = user;
	memcpy(data, r->bytes + offset, length);
	r->calls++;
	r->moved += length;
}

static void record_completion(void *user)
{
	struct recorder *r = user;
	r->completions++;
	r->completed_at = sim_now(r->soc);
}

static struct sim_dma_job job_over(enum sim_dma_direction direction, dmabuf_addr_t addr,
				   uint32_t length, uint32_t segment_bytes, struct recorder *r)
{
	struct sim_dma_job job = {
		.direction = direction,
		.mapping = { addr, length, segment_bytes, (length + segment_bytes - 1) / segment_bytes,
			     direction == SIM_DMA_READ_BUS ? DMABUF_TO_DEVICE : DMABUF_FROM_DEVICE },
		.sink = record_sink,
		.source = pattern_source,
		.complete = record_completion,
		.user = r,
	};
	return job;
}

static void read_job_moves_one_segment_per_transfer_time(void)
{
	static struct recorder r;
	struct sim_soc *soc = sim_fixture_soc(32, 1);
	UNIT_ASSERT(soc);
	recorder_init(&r, soc);
	struct sim_dma_engine *engine;
	UNIT_EQ(sim_dma_engine_create(soc, 100, false, &engine), 0); /* 100 B/us: 10 ns a byte */
	struct sim_dma_job job = job_over(SIM_DMA_READ_BUS, TEST_SRAM_BASE + 64, 300, 128, &r);
	UNIT_EQ(sim_dma_submit(engine, &job), 0);
	UNIT_ASSERT(sim_dma_busy(engine));

	sim_advance(soc, 1279);
	UNIT_EQ(r.calls, 0);
	sim_advance(soc, 1);
	UNIT_EQ(r.calls, 1);
	UNIT_EQ(sim_now(soc), 1280);
	sim_run_until(soc, 2560);
	UNIT_EQ(r.calls, 2);
	UNIT_EQ(r.completions, 0);
	UNIT_EQ(sim_run_until_idle(soc), 3000); /* 300 bytes */
	UNIT_EQ(r.calls, 3);
	UNIT_EQ(r.moved, 300);
	UNIT_EQ(r.completions, 1);
	UNIT_EQ(r.completed_at, 3000);
	UNIT_ASSERT(!sim_dma_busy(engine));
	UNIT_EQ(memcmp(r.bytes, sim_fixture_bus(soc, TEST_SRAM) + 64, 300), 0);
	struct sim_stats stats;
	sim_stats(soc, &stats);
	UNIT_EQ(stats.dma_segments, 3);
}

static void non_coherent_dma_reads_memory_not_the_cpu_cache(void)
{
	static struct recorder r;
	struct sim_soc *soc = sim_fixture_soc(32, 2);
	UNIT_ASSERT(soc);
	recorder_init(&r, soc);
	uint8_t *view = sim_fixture_view(soc, TEST_SRAM);
	uint8_t memory[64];
	memcpy(memory, sim_fixture_bus(soc, TEST_SRAM), 64);
	memset(view, 0xA5, 64); /* dirty, never cleaned */
	struct sim_dma_engine *engine;
	UNIT_EQ(sim_dma_engine_create(soc, 1000, false, &engine), 0);
	struct sim_dma_job job = job_over(SIM_DMA_READ_BUS, TEST_SRAM_BASE, 64, 32, &r);
	UNIT_EQ(sim_dma_submit(engine, &job), 0);
	sim_run_until_idle(soc);
	UNIT_EQ(memcmp(r.bytes, memory, 64), 0);
}

static void non_coherent_dma_write_lands_in_memory_only(void)
{
	static struct recorder r;
	struct sim_soc *soc = sim_fixture_soc(64, 3);
	UNIT_ASSERT(soc);
	recorder_init(&r, soc);
	uint8_t *view = sim_fixture_view(soc, TEST_SRAM2);
	uint8_t cached[256];
	memcpy(cached, view, sizeof(cached));
	sim_fixture_fill(r.bytes, 256, 77);
	struct sim_dma_engine *engine;
	UNIT_EQ(sim_dma_engine_create(soc, 1000, false, &engine), 0);
	struct sim_dma_job job = job_over(SIM_DMA_WRITE_BUS, TEST_SRAM2_BASE, 256, 64, &r);
	UNIT_EQ(sim_dma_submit(engine, &job), 0);
	sim_run_until_idle(soc);
	UNIT_EQ(memcmp(sim_fixture_bus(soc, TEST_SRAM2), r.bytes, 256), 0);
	UNIT_EQ(memcmp(view, cached, sizeof(cached)), 0);
}

static void coherent_dma_snoops_the_cpu_cache(void)
{
	static struct recorder r;
	struct sim_soc *soc = sim_fixture_soc(32, 4);
	UNIT_ASSERT(soc);
	recorder_init(&r, soc);
	uint8_t *view = sim_fixture_view(soc, TEST_SRAM);
	memset(view, 0x3C, 100); /* dirty */
	struct sim_dma_engine *engine;
	UNIT_EQ(sim_dma_engine_create(soc, 1000, true, &engine), 0);
	struct sim_dma_job job = job_over(SIM_DMA_READ_BUS, TEST_SRAM_BASE, 100, 64, &r);
	UNIT_EQ(sim_dma_submit(engine, &job), 0);
	sim_run_until_idle(soc);
	UNIT_EQ(memcmp(r.bytes, view, 100), 0);
	UNIT_EQ(sim_dirty_lines(soc), 4); /* a snoop is not a clean */
	UNIT_ASSERT(memcmp(sim_fixture_bus(soc, TEST_SRAM), view, 32) != 0);

	/* A coherent write over a line whose other half the CPU dirtied: both
	 * survive, and the CPU sees the device's bytes at once. */
	memset(view + 128, 0x11, 16);
	sim_fixture_fill(r.bytes, 16, 5);
	job = job_over(SIM_DMA_WRITE_BUS, TEST_SRAM_BASE + 144, 16, 16, &r);
	UNIT_EQ(sim_dma_submit(engine, &job), 0);
	sim_run_until_idle(soc);
	UNIT_EQ(memcmp(view + 144, r.bytes, 16), 0);
	for (uint32_t i = 128; i < 144; i++)
		UNIT_EQ(view[i], 0x11);
	UNIT_EQ(memcmp(view + 128, sim_fixture_bus(soc, TEST_SRAM) + 128, 32), 0);
}

static void evictions_interleave_with_segments(void)
{
	static struct recorder r;
	struct sim_soc *soc = sim_fixture_soc(32, 5);
	UNIT_ASSERT(soc);
	recorder_init(&r, soc);
	uint8_t *view = sim_fixture_view(soc, TEST_SRAM), *bus = sim_fixture_bus(soc, TEST_SRAM);
	memset(view + 1024, 0x77, 32); /* a dirty line elsewhere */
	sim_set_eviction_rate(soc, 1.0);
	struct sim_dma_engine *engine;
	UNIT_EQ(sim_dma_engine_create(soc, 32, false, &engine), 0); /* 1 us per 32 bytes */
	struct sim_dma_job job = job_over(SIM_DMA_READ_BUS, TEST_SRAM_BASE, 96, 32, &r);
	UNIT_EQ(sim_dma_submit(engine, &job), 0);
	sim_advance(soc, 999);
	UNIT_ASSERT(bus[1024] != 0x77);
	sim_advance(soc, 1);
	UNIT_EQ(bus[1024], 0x77); /* written back right after the first segment */
	struct sim_stats stats;
	sim_stats(soc, &stats);
	UNIT_EQ(stats.evicted_lines, (TEST_SRAM_SIZE + TEST_SRAM2_SIZE) / 32);
	sim_run_until_idle(soc);
	sim_stats(soc, &stats);
	UNIT_EQ(stats.evicted_lines, 3 * (TEST_SRAM_SIZE + TEST_SRAM2_SIZE) / 32);
}

static void engines_run_in_virtual_time_order(void)
{
	static struct recorder slow, fast;
	struct sim_soc *soc = sim_fixture_soc(32, 6);
	UNIT_ASSERT(soc);
	recorder_init(&slow, soc);
	recorder_init(&fast, soc);
	struct sim_dma_engine *slow_engine, *fast_engine;
	UNIT_EQ(sim_dma_engine_create(soc, 10, false, &slow_engine), 0);
	UNIT_EQ(sim_dma_engine_create(soc, 100, false, &fast_engine), 0);
	struct sim_dma_job job = job_over(SIM_DMA_READ_BUS, TEST_SRAM_BASE, 100, 100, &slow);
	UNIT_EQ(sim_dma_submit(slow_engine, &job), 0);
	job = job_over(SIM_DMA_READ_BUS, TEST_SRAM_BASE, 400, 100, &fast);
	UNIT_EQ(sim_dma_submit(fast_engine, &job), 0);
	sim_advance(soc, 5000);
	UNIT_EQ(fast.completions, 1);
	UNIT_EQ(fast.completed_at, 4000);
	UNIT_EQ(slow.completions, 0);
	UNIT_EQ(sim_now(soc), 5000);
	UNIT_EQ(sim_run_until_idle(soc), 10000);
	UNIT_EQ(slow.completed_at, 10000);
}

struct chain {
	struct sim_dma_engine *engine;
	struct sim_dma_job job;
	uint32_t remaining;
};

static void resubmit(void *user)
{
	struct chain *c = user;
	if (--c->remaining > 0)
		sim_dma_submit(c->engine, &c->job);
}

static void sink_nothing(void *user, uint32_t offset, const uint8_t *data, uint32_t length)
{
	(void)user, (void)offset, (void)data, (void)length;
}

static void completion_callback_may_submit_the_next_job(void)
{
	static struct chain c;
	struct sim_soc *soc = sim_fixture_soc(32, 7);
	UNIT_ASSERT(soc);
	UNIT_EQ(sim_dma_engine_create(soc, 64, false, &c.engine), 0);
	c.job = (struct sim_dma_job){
		.direction = SIM_DMA_READ_BUS,
		.mapping = { TEST_SRAM_BASE, 64, 64, 1, DMABUF_TO_DEVICE },
		.sink = sink_nothing,
		.complete = resubmit,
		.user = &c,
	};
	c.remaining = 5;
	UNIT_EQ(sim_dma_submit(c.engine, &c.job), 0);
	UNIT_EQ(sim_run_until_idle(soc), 5000);
	UNIT_EQ(c.remaining, 0);
}

static void bad_jobs_are_rejected_and_change_nothing(void)
{
	static struct recorder r;
	struct sim_soc *soc = sim_fixture_soc(32, 8);
	UNIT_ASSERT(soc);
	recorder_init(&r, soc);
	struct sim_dma_engine *engine;
	UNIT_EQ(sim_dma_engine_create(soc, 0, false, &engine), DMABUF_EINVAL);
	UNIT_EQ(sim_dma_engine_create(soc, 100, false, &engine), 0);

	struct sim_dma_job job = job_over(SIM_DMA_READ_BUS, TEST_SRAM_BASE + TEST_SRAM_SIZE - 64, 128, 64, &r);
	UNIT_EQ(sim_dma_submit(engine, &job), DMABUF_EFAULT); /* second segment past the region */
	job = job_over(SIM_DMA_READ_BUS, TEST_SRAM_BASE, 128, 64, &r);
	job.mapping.segment_count = 3; /* inconsistent with length */
	UNIT_EQ(sim_dma_submit(engine, &job), DMABUF_EINVAL);
	job = job_over(SIM_DMA_READ_BUS, TEST_SRAM_BASE, 128, 64, &r);
	job.sink = NULL;
	UNIT_EQ(sim_dma_submit(engine, &job), DMABUF_EINVAL);
	job = job_over(SIM_DMA_READ_BUS, TEST_SRAM_BASE, 128, 64, &r);
	job.direction = (enum sim_dma_direction)7;
	UNIT_EQ(sim_dma_submit(engine, &job), DMABUF_EINVAL);
	UNIT_ASSERT(!sim_dma_busy(engine));

	job = job_over(SIM_DMA_READ_BUS, TEST_SRAM_BASE, 128, 64, &r);
	UNIT_EQ(sim_dma_submit(engine, &job), 0);
	UNIT_EQ(sim_dma_submit(engine, &job), DMABUF_EBUSY);
	sim_run_until_idle(soc);
	UNIT_EQ(r.calls, 2);
	UNIT_EQ(r.completions, 1);
}

const struct unit_suite suite_sim_dma_engine = UNIT_SUITE(sim_dma_engine,
	UNIT_TEST(read_job_moves_one_segment_per_transfer_time),
	UNIT_TEST(non_coherent_dma_reads_memory_not_the_cpu_cache),
	UNIT_TEST(non_coherent_dma_write_lands_in_memory_only),
	UNIT_TEST(coherent_dma_snoops_the_cpu_cache),
	UNIT_TEST(evictions_interleave_with_segments),
	UNIT_TEST(engines_run_in_virtual_time_order),
	UNIT_TEST(completion_callback_may_submit_the_next_job),
	UNIT_TEST(bad_jobs_are_rejected_and_change_nothing));
