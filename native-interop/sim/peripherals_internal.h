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
	uint32_t timeline; /* the fence context of its completions */
};

struct sim_peripherals {
	struct sim_soc *soc;
	struct dmabuf_fence_pool *fences;
	struct sim_event *events;        /* pending, by time; ties in scheduling order */
	struct sim_peripheral *devices;  /* every peripheral created, freed at destroy */
	uint32_t requests_pending;       /* accepted, fence not signalled yet */
	char *picture_folder;            /* where the panels write what they show, or NULL (pictures.c) */
	uint32_t picture_set;            /* this set's number among the process's picture writers */
};

/*
 * What a panel shows after a scanout or an SPI transfer, written to the
 * picture folder if one is set (sim_peripherals_write_pictures): @height
 * rows of @width RGB565 pixels, high byte first, @stride bytes apart.
 * A file that cannot be written is reported and skipped: pictures are a
 * record of the run, never a reason for a peripheral to fail.
 */
void sim_picture_write(const struct sim_peripherals *peripherals, const char *panel, uint32_t sequence,
		       uint32_t width, uint32_t height, const uint8_t *rows, size_t stride);

/* Link a freshly created peripheral so destroy frees it with @destroy, and
 * give it a fence timeline of its own (device->timeline). */
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
