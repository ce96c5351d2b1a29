/*
 * DMA engines: bus masters that move the segments of a mapping between bus
 * memory and a peripheral model, one segment at a time on virtual time, with a
 * random eviction round after every segment (so evictions interleave with the
 * transfer as they do on hardware).
 */
#include <stdlib.h>

#include "sim_internal.h"

/* Virtual nanoseconds to move @length bytes, rounded up. */
static uint64_t transfer_ns(const struct sim_dma_engine *engine, uint32_t length)
{
	return ((uint64_t)length * 1000u + engine->bytes_per_us - 1) / engine->bytes_per_us;
}

int sim_dma_engine_create(struct sim_soc *soc, uint32_t bytes_per_us, bool coherent,
			  struct sim_dma_engine **out)
{
	if (!soc || !out || bytes_per_us == 0) {
		sim_report("sim_dma_engine_create: needs a simulator, an output and a rate > 0");
		return DMABUF_EINVAL;
	}
	struct sim_dma_engine *engine = calloc(1, sizeof(*engine));
	if (!engine)
		return DMABUF_ENOMEM;
	engine->soc = soc;
	engine->bytes_per_us = bytes_per_us;
	engine->coherent = coherent;
	if (soc->last_engine)
		soc->last_engine->next = engine;
	else
		soc->engines = engine;
	soc->last_engine = engine;
	*out = engine;
	return 0;
}

static int check_job(struct sim_soc *soc, const struct sim_dma_job *job)
{
	const struct dmabuf_mapping *m = &job->mapping;
	if ((job->direction == SIM_DMA_READ_BUS && !job->sink) ||
	    (job->direction == SIM_DMA_WRITE_BUS && !job->source) ||
	    (job->direction != SIM_DMA_READ_BUS && job->direction != SIM_DMA_WRITE_BUS)) {
		sim_report("sim_dma_submit: direction needs its callback (sink to read, source to write)");
		return DMABUF_EINVAL;
	}
	/* The segment list must be the one dmabuf_mapping_segment() walks:
	 * segment_count pieces, only the last one short. */
	if (m->length == 0 || m->segment_bytes == 0 || m->segment_count == 0 ||
	    (uint64_t)m->segment_count * m->segment_bytes < m->length ||
	    (uint64_t)(m->segment_count - 1) * m->segment_bytes >= m->length) {
		sim_report("sim_dma_submit: mapping of %u bytes is not %u segments of %u bytes",
			   m->length, m->segment_count, m->segment_bytes);
		return DMABUF_EINVAL;
	}
	for (uint32_t i = 0; i < m->segment_count; i++) {
		dmabuf_addr_t addr;
		uint32_t length;
		dmabuf_mapping_segment(m, i, &addr, &length);
		if (!sim_region_at_bus(soc, addr, length)) {
			sim_report("sim_dma_submit: segment %u (0x%08x+%u) is outside bus memory", i,
				   addr, length);
			return DMABUF_EFAULT;
		}
	}
	return 0;
}

int sim_dma_submit(struct sim_dma_engine *engine, const struct sim_dma_job *job)
{
	if (!engine || !job) {
		sim_report("sim_dma_submit: needs an engine and a job");
		return DMABUF_EINVAL;
	}
	if (engine->busy) {
		sim_report("sim_dma_submit: the engine is running a job");
		return DMABUF_EBUSY;
	}
	int err = check_job(engine->soc, job);
	if (err)
		return err;
	dmabuf_addr_t addr;
	uint32_t length;
	dmabuf_mapping_segment(&job->mapping, 0, &addr, &length);
	engine->job = *job;
	engine->next_segment = 0;
	engine->due = engine->soc->now + transfer_ns(engine, length);
	engine->busy = true;
	return 0;
}

bool sim_dma_busy(const struct sim_dma_engine *engine)
{
	return engine->busy;
}

struct sim_dma_engine *sim_dma_next_due(struct sim_soc *soc)
{
	struct sim_dma_engine *first = NULL;
	for (struct sim_dma_engine *e = soc->engines; e; e = e->next)
		if (e->busy && (!first || e->due < first->due))
			first = e;
	return first;
}

void sim_dma_step(struct sim_dma_engine *engine)
{
	struct sim_soc *soc = engine->soc;
	const struct sim_dma_job *job = &engine->job;
	dmabuf_addr_t addr;
	uint32_t length;
	dmabuf_mapping_segment(&job->mapping, engine->next_segment, &addr, &length);
	struct sim_region *region = sim_region_at_bus(soc, addr, length);
	uint32_t offset = addr - region->desc->bus_base;
	uint32_t job_offset = engine->next_segment * job->mapping.segment_bytes;

	if (job->direction == SIM_DMA_READ_BUS) {
		const uint8_t *data = engine->coherent ? sim_snoop_read(soc, region, offset, length)
						       : region->bus + offset;
		job->sink(job->user, job_offset, data, length);
	} else {
		if (engine->coherent)
			sim_snoop_write_begin(soc, region, offset, length);
		job->source(job->user, job_offset, region->bus + offset, length);
		if (engine->coherent)
			sim_snoop_write_end(soc, region, offset, length);
	}
	soc->stats.dma_segments++;
	sim_evict_random(soc);

	if (++engine->next_segment < job->mapping.segment_count) {
		dmabuf_mapping_segment(&job->mapping, engine->next_segment, &addr, &length);
		engine->due += transfer_ns(engine, length);
		return;
	}
	/* Idle before the callback, so that it can submit the next job (which
	 * overwrites engine->job: take the callback out first). */
	void (*complete)(void *user) = job->complete;
	void *user = job->user;
	engine->busy = false;
	if (complete)
		complete(user);
}
