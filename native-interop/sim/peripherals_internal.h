/* Shared by the peripheral models; not part of their API (peripherals.h is). */
#ifndef DMABUF_SIM_PERIPHERALS_INTERNAL_H
#define DMABUF_SIM_PERIPHERALS_INTERNAL_H

#include "dmabuf/peripheral.h"
#include "peripherals.h"
#include "sim_internal.h"

#include <stddef.h>

/* The peripheral holding @member, from a pointer to that member. */
#define sim_container_of(ptr, type, member) ((type *)(void *)((char *)(ptr) - offsetof(type, member)))

/*
 * A timed event of a peripheral (a frame start, a vsync), embedded in the
 * peripheral. @fire runs at virtual time @when, from run_until / wait.
 */
struct sim_event {
	uint64_t when;
	void (*fire)(struct sim_event *event);
	struct sim_event *next; /* pending list, in firing order */
	bool pending;
};

/* First member of every peripheral: how sim_peripherals_destroy finds them
 * and frees each with its own memory. */
struct sim_peripheral {
	struct sim_peripheral *next;
	void (*destroy)(struct sim_peripheral *device);
};

struct sim_peripherals {
	struct sim_soc *soc;
	struct dmabuf_fence_pool *fences;
	struct sim_event *events;        /* pending, by time; ties in scheduling order */
	struct sim_peripheral *devices;  /* every peripheral created, freed at destroy */
	uint32_t requests_pending;       /* accepted, fence not signalled yet */
};

/* Link a freshly created peripheral so destroy frees it with @destroy. */
void sim_peripheral_add(struct sim_peripherals *peripherals, struct sim_peripheral *device,
			void (*destroy)(struct sim_peripheral *device));

/* Arm @event to fire at @when (it must not be pending). */
void sim_event_schedule(struct sim_peripherals *peripherals, struct sim_event *event, uint64_t when,
			void (*fire)(struct sim_event *event));

/* The first multiple of @period at or after @now: the next frame start / vsync. */
uint64_t sim_next_tick(uint64_t now, uint64_t period);

/*
 * Accept @request: a fence on @timeline with @seqno, one reference for the
 * peripheral and one in request->done for the caller; times zeroed.
 * @retval 0; -ENOMEM no fence left.
 */
int sim_request_accept(struct sim_peripherals *peripherals, uint32_t timeline, uint32_t seqno,
		       struct sim_request *request);

/* The DMA of @request starts now. */
void sim_request_start(struct sim_peripherals *peripherals, struct sim_request *request);

/* Complete @request: end time, signal its fence (with @error if not 0: the
 * DMA could not run) as the last touch of the request, and drop the
 * peripheral's reference. */
void sim_request_complete(struct sim_peripherals *peripherals, struct sim_request *request, int error);

/* True if @mapping lets a device write (camera) / read (display, SPI). */
bool sim_mapping_device_writes(const struct dmabuf_mapping *mapping);
bool sim_mapping_device_reads(const struct dmabuf_mapping *mapping);

#endif /* DMABUF_SIM_PERIPHERALS_INTERNAL_H */
