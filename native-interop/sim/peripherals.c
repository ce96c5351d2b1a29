/*
 * The peripherals of one simulator: their timed events on virtual time, the
 * requests they accept and the fences those signal (peripherals.h).
 *
 * Virtual time has two sources of activity: DMA segments falling due in the
 * simulator's engines, and the peripherals' own events (frame starts,
 * vsyncs). Running time means always taking the earlier of the two, so a
 * vsync that starts a scanout happens exactly between the segments around it.
 */
#include <stdlib.h>

#include "peripherals_internal.h"

int sim_peripherals_create(struct sim_soc *soc, struct dmabuf_fence_pool *fences,
			   struct sim_peripherals **out)
{
	if (!soc || !fences || !out) {
		sim_report("sim_peripherals_create: needs a simulator, a fence pool and an output");
		return DMABUF_EINVAL;
	}
	struct sim_peripherals *peripherals = calloc(1, sizeof(*peripherals));
	if (!peripherals)
		return DMABUF_ENOMEM;
	peripherals->soc = soc;
	peripherals->fences = fences;
	*out = peripherals;
	return 0;
}

int sim_peripherals_destroy(struct sim_peripherals *peripherals)
{
	if (!peripherals)
		return 0;
	/* A pending request has a DMA job or an event pointing into a
	 * peripheral, and a fence someone may be waiting for. */
	if (peripherals->requests_pending) {
		sim_report("sim_peripherals_destroy: %u requests have not completed",
			   peripherals->requests_pending);
		return DMABUF_EBUSY;
	}
	while (peripherals->devices) {
		struct sim_peripheral *next = peripherals->devices->next;
		peripherals->devices->destroy(peripherals->devices);
		peripherals->devices = next;
	}
	free(peripherals->picture_folder);
	free(peripherals);
	return 0;
}

bool sim_peripherals_idle(const struct sim_peripherals *peripherals)
{
	return peripherals->requests_pending == 0;
}

bool sim_peripherals_owns_fence(const struct sim_peripherals *peripherals, dmabuf_fence_t fence)
{
	struct dmabuf_fence_info info;
	if (dmabuf_fence_get_info(peripherals->fences, fence, &info) != 0)
		return false;
	for (const struct sim_peripheral *device = peripherals->devices; device; device = device->next)
		if (device->timeline == info.context)
			return true;
	return false;
}

void sim_peripheral_add(struct sim_peripherals *peripherals, struct sim_peripheral *device,
			void (*destroy)(struct sim_peripheral *device))
{
	device->destroy = destroy;
	device->timeline = dmabuf_fence_context_alloc(peripherals->fences);
	device->next = peripherals->devices;
	peripherals->devices = device;
}

void sim_event_schedule(struct sim_peripherals *peripherals, struct sim_event *event, uint64_t when,
			void (*fire)(struct sim_event *event))
{
	uint64_t now = sim_now(peripherals->soc);
	event->when = when < now ? now : when;
	event->fire = fire;
	event->pending = true;
	/* After every event of the same time: ties fire in scheduling order. */
	struct sim_event **at = &peripherals->events;
	while (*at && (*at)->when <= event->when)
		at = &(*at)->next;
	event->next = *at;
	*at = event;
}

uint64_t sim_next_tick(uint64_t now, uint64_t period)
{
	return (now + period - 1u) / period * period;
}

/* The time of the next DMA segment or event, UINT64_MAX if none. */
static uint64_t next_activity(const struct sim_peripherals *peripherals)
{
	struct sim_dma_engine *engine = sim_dma_next_due(peripherals->soc);
	uint64_t dma = engine ? engine->due : UINT64_MAX;
	uint64_t event = peripherals->events ? peripherals->events->when : UINT64_MAX;
	return dma < event ? dma : event;
}

/* Run the DMA due by @when, then the events due by then (DMA first at a tie). */
static void step_to(struct sim_peripherals *peripherals, uint64_t when)
{
	sim_run_until(peripherals->soc, when);
	while (peripherals->events && peripherals->events->when <= when) {
		struct sim_event *event = peripherals->events;
		peripherals->events = event->next;
		event->pending = false;
		event->fire(event);
	}
}

void sim_peripherals_run_until(struct sim_peripherals *peripherals, uint64_t when)
{
	uint64_t next;
	while ((next = next_activity(peripherals)) <= when)
		step_to(peripherals, next);
	sim_run_until(peripherals->soc, when);
}

int sim_peripherals_wait(struct sim_peripherals *peripherals, const dmabuf_fence_t *fences,
			 uint32_t count, uint64_t timeout_ns)
{
	if (!peripherals || !fences || count == 0) {
		sim_report("sim_peripherals_wait: needs peripherals and at least one fence");
		return DMABUF_EINVAL;
	}
	uint64_t now = sim_now(peripherals->soc);
	uint64_t deadline = timeout_ns > UINT64_MAX - now ? UINT64_MAX : now + timeout_ns;
	for (;;) {
		for (uint32_t i = 0; i < count; i++) {
			int status = dmabuf_fence_status(peripherals->fences, fences[i]);
			/* Status is also the error a fence was signalled with:
			 * only -EBADF means the handle itself is bad. */
			if (status == DMABUF_EBADF) {
				sim_report("sim_peripherals_wait: fence %d is stale or not a fence",
					   (int)fences[i]);
				return DMABUF_EBADF;
			}
			if (status != 0)
				return (int)i;
		}
		uint64_t next = next_activity(peripherals);
		if (next > deadline || next == UINT64_MAX) {
			if (deadline != UINT64_MAX)
				sim_run_until(peripherals->soc, deadline);
			return DMABUF_ETIMEDOUT;
		}
		step_to(peripherals, next);
	}
}

int sim_request_accept(struct sim_peripherals *peripherals, uint32_t timeline, uint32_t seqno,
		       struct sim_request *request)
{
	dmabuf_fence_t fence;
	int err = dmabuf_fence_create(peripherals->fences, timeline, seqno, &fence);
	if (err)
		return err;
	/* The creator's reference is the peripheral's (dropped after the
	 * signal); this one is the caller's. A fresh fence cannot refuse it. */
	(void)dmabuf_fence_get(peripherals->fences, fence);
	request->done = fence;
	request->sequence = 0;
	request->start_ns = 0;
	request->end_ns = 0;
	request->next = NULL;
	peripherals->requests_pending++;
	return 0;
}

void sim_request_start(struct sim_peripherals *peripherals, struct sim_request *request)
{
	request->start_ns = sim_now(peripherals->soc);
}

void sim_request_complete(struct sim_peripherals *peripherals, struct sim_request *request, int error)
{
	/* The signal runs the waiters' callbacks, which may reuse @request:
	 * nothing of it is read after the signal. */
	dmabuf_fence_t fence = request->done;
	request->end_ns = sim_now(peripherals->soc);
	peripherals->requests_pending--;
	if (error)
		(void)dmabuf_fence_signal_error(peripherals->fences, fence, error);
	else
		(void)dmabuf_fence_signal(peripherals->fences, fence);
	(void)dmabuf_fence_put(peripherals->fences, fence);
}

bool sim_mapping_device_writes(const struct dmabuf_mapping *mapping)
{
	return mapping->direction == DMABUF_FROM_DEVICE || mapping->direction == DMABUF_BIDIRECTIONAL;
}

bool sim_mapping_device_reads(const struct dmabuf_mapping *mapping)
{
	return mapping->direction == DMABUF_TO_DEVICE || mapping->direction == DMABUF_BIDIRECTIONAL;
}
