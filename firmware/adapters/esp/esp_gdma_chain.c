/*
 * GDMA descriptor chain builder. Portable C: it only writes memory, so the
 * host tests check the exact words an ESP32 engine would fetch.
 */
#include "esp_gdma_chain.h"

#include <stddef.h>

#include "dmabuf/errors.h"

static bool align_ok(uint32_t align)
{
	return align && align <= ESP_GDMA_MAX_ALIGN && (align & (align - 1)) == 0;
}

static uint64_t pieces(uint64_t bytes, uint32_t max)
{
	return (bytes + max - 1) / max;
}

uint32_t esp_gdma_chain_length(const struct dmabuf_mapping *m, uint32_t align)
{
	if (!m || !m->length || !m->segment_bytes || !align_ok(align))
		return 0;
	uint32_t full = m->length / m->segment_bytes;
	uint32_t rest = m->length % m->segment_bytes;
	/* A mapping whose count disagrees with its sizes is not one the core made. */
	if (m->segment_count != full + (rest != 0))
		return 0;
	uint32_t max = esp_gdma_max_bytes(align);
	uint64_t count = (uint64_t)full * pieces(m->segment_bytes, max) + pieces(rest, max);
	return count > INT32_MAX ? 0 : (uint32_t)count;
}

static int check(const void *descriptors, const struct dmabuf_mapping *m,
		 const struct esp_gdma_chain_config *c, uint32_t *count)
{
	const struct dmabuf_adapter_report *report = &c->report;
	if (!descriptors)
		return ADAPTER_FAIL(report, DMABUF_EINVAL, "gdma chain: no descriptor memory");
	if (c->direction != ESP_GDMA_TX && c->direction != ESP_GDMA_RX)
		return ADAPTER_FAIL(report, DMABUF_EINVAL, "gdma chain: direction must be TX or RX");
	if (!align_ok(c->align))
		return ADAPTER_FAIL(report, DMABUF_EINVAL, "gdma chain: align must be a power of two up to 64");
	if (c->stride != ESP_GDMA_STRIDE_AHB && c->stride != ESP_GDMA_STRIDE_AXI)
		return ADAPTER_FAIL(report, DMABUF_EINVAL, "gdma chain: stride must be 12 (AHB) or 16 (AXI)");
	if (c->bus_base % (c->stride == ESP_GDMA_STRIDE_AXI ? 8u : 4u))
		return ADAPTER_FAIL(report, DMABUF_EINVAL,
				    "gdma chain: descriptor memory misaligned (4 for AHB-GDMA, 8 for AXI-GDMA)");
	*count = esp_gdma_chain_length(m, c->align);
	if (!*count)
		return ADAPTER_FAIL(report, DMABUF_EINVAL, "gdma chain: no mapping, or an inconsistent one");
	uint32_t needed = c->direction == ESP_GDMA_TX ? DMABUF_TO_DEVICE : DMABUF_FROM_DEVICE;
	if (!(m->direction & needed))
		return ADAPTER_FAIL(report, DMABUF_EINVAL,
				    "gdma chain: mapping direction does not match (TX needs TO_DEVICE, RX FROM_DEVICE)");
	if (m->dma_addr % c->align)
		return ADAPTER_FAIL(report, DMABUF_EINVAL, "gdma chain: buffer address not aligned for the channel");
	/* Every segment after the first must start aligned too. */
	if (m->segment_count > 1 && m->segment_bytes % c->align)
		return ADAPTER_FAIL(report, DMABUF_EINVAL, "gdma chain: segment size not a multiple of the alignment");
	/* The engine writes whole blocks: an RX buffer that ends mid-block
	 * would have the last block spill past it. */
	if (c->direction == ESP_GDMA_RX && m->length % c->align)
		return ADAPTER_FAIL(report, DMABUF_EINVAL, "gdma chain: RX length not a multiple of the alignment");
	if ((uint64_t)c->bus_base + (uint64_t)*count * c->stride > UINT32_MAX + 1ull)
		return ADAPTER_FAIL(report, DMABUF_EINVAL, "gdma chain: descriptors run past the 32-bit bus");
	return 0;
}

int esp_gdma_chain_build(void *descriptors, uint32_t capacity, const struct dmabuf_mapping *m,
			 const struct esp_gdma_chain_config *config)
{
	if (!config)
		return DMABUF_EINVAL;
	/* check() sets count whenever it returns 0, but with DMABUF_DEBUG its
	 * failure paths return through the out-of-line report call, which GCC
	 * at -Os cannot see is never 0: without the 0 here it warns. */
	uint32_t count = 0;
	int err = check(descriptors, m, config, &count);
	if (err)
		return err;
	if (count > capacity)
		return ADAPTER_FAIL(&config->report, DMABUF_ENOMEM, "gdma chain: more descriptors needed than given");

	uint32_t max = esp_gdma_max_bytes(config->align);
	bool tx = config->direction == ESP_GDMA_TX;
	uint32_t index = 0;
	for (uint32_t s = 0; s < m->segment_count; s++) {
		dmabuf_addr_t addr;
		uint32_t left;
		dmabuf_mapping_segment(m, s, &addr, &left);
		while (left) {
			uint32_t piece = left < max ? left : max;
			struct esp_gdma_descriptor *d = esp_gdma_chain_at(descriptors, config->stride, index);
			d->dw0 = ESP_GDMA_DW0_OWNER_DMA | piece |
				 (tx ? piece << ESP_GDMA_DW0_LENGTH_SHIFT : 0);
			d->buffer = addr;
			index++;
			d->next = config->bus_base + index * config->stride;
			addr += piece;
			left -= piece;
		}
	}
	struct esp_gdma_descriptor *last = esp_gdma_chain_at(descriptors, config->stride, count - 1);
	last->next = config->circular ? config->bus_base : 0;
	if (tx)
		last->dw0 |= ESP_GDMA_DW0_SUC_EOF;
	return (int)count;
}

int esp_gdma_chain_received(const void *descriptors, uint32_t stride, uint32_t count, uint32_t *bytes)
{
	if (!descriptors || !bytes || (stride != ESP_GDMA_STRIDE_AHB && stride != ESP_GDMA_STRIDE_AXI))
		return DMABUF_EINVAL;
	uint32_t total = 0;
	for (uint32_t i = 0; i < count; i++) {
		const struct esp_gdma_descriptor *d =
			(const struct esp_gdma_descriptor *)((const uint8_t *)descriptors + (size_t)i * stride);
		if (d->dw0 & ESP_GDMA_DW0_ERR_EOF)
			return DMABUF_EIO;
		total += (d->dw0 & ESP_GDMA_DW0_LENGTH_MASK) >> ESP_GDMA_DW0_LENGTH_SHIFT;
		if (d->dw0 & ESP_GDMA_DW0_SUC_EOF)
			break;
	}
	*bytes = total;
	return 0;
}
