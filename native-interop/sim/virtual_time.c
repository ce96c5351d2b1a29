/*
 * Virtual time: a nanosecond counter that only moves when a test (or a
 * peripheral model) says so. Advancing it runs every DMA segment that falls
 * due on the way, in time order, so a run is the same on any host at any load.
 */
#include "sim_internal.h"

uint64_t sim_now(const struct sim_soc *soc)
{
	return soc->now;
}

void sim_run_until(struct sim_soc *soc, uint64_t when)
{
	struct sim_dma_engine *engine;
	while ((engine = sim_dma_next_due(soc)) && engine->due <= when) {
		soc->now = engine->due;
		sim_dma_step(engine);
	}
	if (when > soc->now)
		soc->now = when;
}

void sim_advance(struct sim_soc *soc, uint64_t ns_from_now)
{
	uint64_t when = soc->now + ns_from_now;
	sim_run_until(soc, when < soc->now ? UINT64_MAX : when);
}

uint64_t sim_run_until_idle(struct sim_soc *soc)
{
	struct sim_dma_engine *engine;
	while ((engine = sim_dma_next_due(soc))) {
		soc->now = engine->due;
		sim_dma_step(engine);
	}
	return soc->now;
}
