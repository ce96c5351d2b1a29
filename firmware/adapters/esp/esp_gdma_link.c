/*
 * GDMA channel hand-over of a descriptor chain (ESP-IDF). Not compiled on CI.
 */
#include "esp_gdma_link.h"

#include "esp_attr.h"
#include "esp_cache.h"
#include "esp_heap_caps.h"
#include "soc/soc_caps.h"

#include "dmabuf/errors.h"

/*
 * Where internal memory is cached (P4: L1 data cache, 64-byte lines) the
 * descriptors get whole lines of their own, so writing them back or
 * invalidating them never touches a neighbour; elsewhere 8 bytes covers
 * both AHB (4) and AXI (8) descriptor alignment.
 */
#if SOC_CACHE_INTERNAL_MEM_VIA_L1CACHE
#define DESCRIPTORS_CACHED 1
#define DESCRIPTOR_ALIGN 64u
#else
#define DESCRIPTORS_CACHED 0
#define DESCRIPTOR_ALIGN 8u
#endif

static size_t round_up(size_t bytes, size_t align)
{
	return (bytes + align - 1) / align * align;
}

/* GDMA ISR: the engine met the descriptor with suc_eof (TX) or the
 * peripheral ended the frame (RX). */
static bool IRAM_ATTR on_eof(gdma_channel_handle_t channel, gdma_event_data_t *event, void *user)
{
	(void)channel;
	(void)event;
	struct dmabuf_esp_gdma_link *link = user;
	dmabuf_fence_signal(link->fences, link->fence);
	return false;
}

static bool IRAM_ATTR on_descriptor_error(gdma_channel_handle_t channel, gdma_event_data_t *event, void *user)
{
	(void)channel;
	(void)event;
	struct dmabuf_esp_gdma_link *link = user;
	dmabuf_fence_signal_error(link->fences, link->fence, DMABUF_EIO);
	return false;
}

int dmabuf_esp_gdma_link_init(struct dmabuf_esp_gdma_link *link)
{
	if (!link || !link->channel || !link->fences)
		return DMABUF_EINVAL;
	esp_err_t err;
	if (link->direction == ESP_GDMA_TX) {
		gdma_tx_event_callbacks_t cbs = { .on_trans_eof = on_eof, .on_descr_err = on_descriptor_error };
		err = gdma_register_tx_event_callbacks(link->channel, &cbs, link);
	} else {
		gdma_rx_event_callbacks_t cbs = { .on_recv_eof = on_eof, .on_descr_err = on_descriptor_error };
		err = gdma_register_rx_event_callbacks(link->channel, &cbs, link);
	}
	if (err != ESP_OK)
		return ADAPTER_FAIL(&link->report, DMABUF_EIO, "gdma link: ESP-IDF refused the event callbacks");
	link->descriptors = NULL;
	link->fence = 0;
	return 0;
}

int dmabuf_esp_gdma_link_start(struct dmabuf_esp_gdma_link *link, const struct dmabuf_mapping *m,
			       dmabuf_fence_t fence)
{
	if (!link || !link->channel)
		return DMABUF_EINVAL;
	if (link->descriptors)
		return ADAPTER_FAIL(&link->report, DMABUF_EBUSY, "gdma link: a job is running");
	uint32_t count = esp_gdma_chain_length(m, link->align);
	uint32_t stride = link->axi ? ESP_GDMA_STRIDE_AXI : ESP_GDMA_STRIDE_AHB;
	size_t bytes = round_up((size_t)count * stride, DESCRIPTOR_ALIGN);
	void *descriptors = count ? heap_caps_aligned_calloc(DESCRIPTOR_ALIGN, 1, bytes,
							     MALLOC_CAP_DMA | MALLOC_CAP_INTERNAL)
				  : NULL;
	if (count && !descriptors)
		return ADAPTER_FAIL(&link->report, DMABUF_ENOMEM, "gdma link: no internal DMA memory for the descriptors");

	struct esp_gdma_chain_config config = {
		.direction = link->direction,
		.align = link->align,
		.stride = stride,
		.bus_base = (dmabuf_addr_t)(uintptr_t)descriptors,
		.report = link->report,
	};
	int built = esp_gdma_chain_build(descriptors, count, m, &config);
	if (built < 0)
		goto err_free;
#if DESCRIPTORS_CACHED
	if (esp_cache_msync(descriptors, bytes, ESP_CACHE_MSYNC_FLAG_DIR_C2M) != ESP_OK) {
		built = ADAPTER_FAIL(&link->report, DMABUF_EIO, "gdma link: descriptor write-back failed");
		goto err_free;
	}
#endif
	built = dmabuf_fence_get(link->fences, fence); /* paired with the put in finish */
	if (built < 0)
		goto err_free;
	link->descriptors = descriptors;
	link->descriptor_bytes = bytes;
	link->count = count;
	link->fence = fence;
	if (gdma_start(link->channel, (intptr_t)descriptors) != ESP_OK) {
		link->descriptors = NULL;
		link->fence = 0;
		dmabuf_fence_put(link->fences, fence);
		built = ADAPTER_FAIL(&link->report, DMABUF_EIO, "gdma link: gdma_start refused the chain");
		goto err_free;
	}
	return 0;

err_free:
	heap_caps_free(descriptors);
	return built;
}

int dmabuf_esp_gdma_link_finish(struct dmabuf_esp_gdma_link *link, uint32_t *received)
{
	if (!link || !link->descriptors)
		return DMABUF_EPERM;
	gdma_stop(link->channel);
	int err = 0;
	if (link->direction == ESP_GDMA_RX) {
#if DESCRIPTORS_CACHED
		/* The engine wrote length/suc_eof into memory behind the cache. */
		esp_cache_msync(link->descriptors, link->descriptor_bytes, ESP_CACHE_MSYNC_FLAG_DIR_M2C);
#endif
		uint32_t bytes = 0;
		err = esp_gdma_chain_received(link->descriptors,
					      link->axi ? ESP_GDMA_STRIDE_AXI : ESP_GDMA_STRIDE_AHB, link->count,
					      &bytes);
		if (received)
			*received = bytes;
	}
	heap_caps_free(link->descriptors);
	link->descriptors = NULL;
	dmabuf_fence_put(link->fences, link->fence); /* paired with the get in start */
	link->fence = 0;
	return err;
}
