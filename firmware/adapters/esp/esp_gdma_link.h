/*
 * Hand a DmaBuf mapping to a GDMA channel as a descriptor chain (ESP-IDF).
 *
 * For peripherals driven at the GDMA level (ESP-IDF's esp_private/gdma.h:
 * gdma_new_ahb_channel / gdma_new_axi_channel, gdma_connect, gdma_start):
 * the chain is built by esp_gdma_chain.c into internal DMA-capable memory,
 * written back from the data cache where internal memory is cached
 * (ESP32-P4, SOC_CACHE_INTERNAL_MEM_VIA_L1CACHE) -- the engine reads
 * descriptors from memory, not from the cache -- and started. The channel's
 * end-of-frame interrupt signals the job's fence; a descriptor error
 * signals it with -EIO.
 *
 * Written against the ESP-IDF 5.x API; NOT COMPILED ON CI (no ESP-IDF on the
 * build machines; compiled by hand for esp32p4 against v5.5.4:
 * docs/FIRMWARE-BUILDS.md). Compiled by the nf-interpreter ESP32 build.
 *
 * Lifecycle:
 *   dmabuf_esp_gdma_link_init(&link)              once: ISR callbacks
 *   dmabuf_map(..., &m)                           cache hand-over
 *   dmabuf_esp_gdma_link_start(&link, &m, fence)  chain built, engine started
 *   ... the fence signals from the GDMA interrupt ...
 *   dmabuf_esp_gdma_link_finish(&link, &bytes)    chain freed; RX: bytes received
 *   dmabuf_unmap(...)
 */
#ifndef DMABUF_ESP_GDMA_LINK_H
#define DMABUF_ESP_GDMA_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "esp_private/gdma.h"

#include "dmabuf/fence.h"
#include "esp_gdma_chain.h"

struct dmabuf_esp_gdma_link {
	/* Set by the caller: a channel it allocated and connected. */
	gdma_channel_handle_t channel;
	enum esp_gdma_direction direction;
	uint32_t align; /* gdma_get_alignment_constraints() for the buffer's memory */
	bool axi;       /* AXI-GDMA channel: descriptors in 8-byte aligned slots */
	struct dmabuf_fence_pool *fences;
	struct dmabuf_adapter_report report;

	/* Private to esp_gdma_link.c. */
	void *descriptors;
	size_t descriptor_bytes;
	uint32_t count;
	dmabuf_fence_t fence;
};

/* Register the channel's ISR callbacks (installs its interrupt). Thread context.
 * @retval 0; -EINVAL; -EIO ESP-IDF refused. */
int dmabuf_esp_gdma_link_init(struct dmabuf_esp_gdma_link *link);

/*
 * Build the chain for @m and start the engine; @fence (the caller keeps its
 * own reference; the link takes one until finish) signals when the engine
 * reaches the end of the chain. Thread context.
 * @retval 0; -EINVAL (as esp_gdma_chain_build); -EBUSY a job is running;
 *         -ENOMEM no internal memory for the descriptors; -EBADF @fence;
 *         -EIO ESP-IDF refused to start.
 */
int dmabuf_esp_gdma_link_start(struct dmabuf_esp_gdma_link *link, const struct dmabuf_mapping *m,
			       dmabuf_fence_t fence);

/*
 * After the fence signalled (or to abort): stop the channel, read what an
 * RX chain received (@received may be NULL), free the chain. Thread context.
 * @retval 0; -EIO the engine flagged an error in an RX descriptor; -EPERM no job.
 */
int dmabuf_esp_gdma_link_finish(struct dmabuf_esp_gdma_link *link, uint32_t *received);

#endif /* DMABUF_ESP_GDMA_LINK_H */
