/*
 * For the adapter suites: a mapping exactly as dmabuf_map makes it (one block
 * cut into segments of @segment_bytes, the last one shorter), without a
 * context, so a test can hand the adapters any address and length.
 */
#ifndef ADAPTER_MAPPING_H
#define ADAPTER_MAPPING_H

#include "dmabuf/dmabuf.h"

static inline struct dmabuf_mapping adapter_mapping(dmabuf_addr_t addr, uint32_t length, uint32_t segment_bytes,
						    uint32_t direction)
{
	struct dmabuf_mapping m = {
		.dma_addr = addr,
		.length = length,
		.segment_bytes = segment_bytes,
		.segment_count = length / segment_bytes + (length % segment_bytes != 0),
		.direction = direction,
	};
	return m;
}

#endif /* ADAPTER_MAPPING_H */
