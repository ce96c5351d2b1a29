/*
 * GDMA descriptor chains built from a DmaBuf mapping (ESP32-S3, ESP32-P4, and
 * the other chips with the GDMA linked-list engine).
 *
 * Layout of one descriptor, as the engine reads it -- our own definition of
 * what ESP-IDF calls dma_descriptor_t (components/hal/include/hal/dma_types.h)
 * and the ESP32-S3 TRM GDMA chapter calls a "linked list" item:
 *
 *   word 0 (dw0)  bits 11:0  size     bytes of buffer behind this descriptor
 *                 bits 23:12 length   valid bytes (TX: to send; RX: written
 *                                     back by the engine)
 *                 bit  28    err_eof  RX: the peripheral flagged an error
 *                 bit  30    suc_eof  TX: last descriptor of the transfer;
 *                                     RX: set by the engine at end of frame
 *                 bit  31    owner    1 = DMA may use it, 0 = CPU's
 *   word 1        buffer     bus address of the data
 *   word 2        next       bus address of the next descriptor, 0 = end
 *
 * ESP-IDF declares dw0 as C bit-fields; bit-field order is up to the
 * compiler, so here it is one uint32_t with explicit shifts, and the pointers
 * are 32-bit bus addresses. That keeps the layout exact on any host: the
 * chain a host test builds is byte for byte what the engine would fetch.
 *
 * Size limit: a 12-bit field, so 4095 bytes per descriptor; a channel whose
 * buffers must be aligned (word for internal SRAM, the 16/32/64-byte block
 * for external memory, the 64-byte cache line on the P4) needs every
 * descriptor but the last to be a whole number of blocks: 4092 at 4, 4080 at
 * 16, 4032 at 64 (hal/dma_types.h DMA_DESCRIPTOR_BUFFER_MAX_SIZE*).
 *
 * AXI-GDMA (ESP32-P4) wants descriptors aligned to 8 (ESP-IDF's
 * dma_descriptor_align8_t): the same 12 bytes in a 16-byte slot.
 */
#ifndef DMABUF_ESP_GDMA_CHAIN_H
#define DMABUF_ESP_GDMA_CHAIN_H

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>

#include "../adapter_report.h"
#include "dmabuf/dmabuf.h"

struct esp_gdma_descriptor {
	uint32_t dw0;
	uint32_t buffer;
	uint32_t next;
};
static_assert(sizeof(struct esp_gdma_descriptor) == 12, "GDMA descriptor is three words");

#define ESP_GDMA_DW0_SIZE_MASK 0xFFFu
#define ESP_GDMA_DW0_LENGTH_SHIFT 12
#define ESP_GDMA_DW0_LENGTH_MASK (0xFFFu << ESP_GDMA_DW0_LENGTH_SHIFT)
#define ESP_GDMA_DW0_ERR_EOF (1u << 28)
#define ESP_GDMA_DW0_SUC_EOF (1u << 30)
#define ESP_GDMA_DW0_OWNER_DMA (1u << 31)

/* Most bytes one descriptor carries. */
#define ESP_GDMA_MAX_BYTES 4095u
/* Largest alignment a GDMA channel asks for (64-byte external blocks and
 * P4 cache lines). */
#define ESP_GDMA_MAX_ALIGN 64u

/* Bytes between descriptors: AHB-GDMA packs them (4-byte alignment),
 * AXI-GDMA needs each on an 8-byte boundary. */
#define ESP_GDMA_STRIDE_AHB 12u
#define ESP_GDMA_STRIDE_AXI 16u

enum esp_gdma_direction {
	ESP_GDMA_TX = 1, /* memory to peripheral: the mapping must be TO_DEVICE */
	ESP_GDMA_RX = 2  /* peripheral to memory: the mapping must be FROM_DEVICE */
};

struct esp_gdma_chain_config {
	enum esp_gdma_direction direction;
	/* Alignment the channel needs for buffer addresses and for every
	 * descriptor's size except a TX chain's last: 1, 4, 16, 32 or 64. */
	uint32_t align;
	uint32_t stride;          /* ESP_GDMA_STRIDE_AHB or ESP_GDMA_STRIDE_AXI */
	dmabuf_addr_t bus_base;   /* bus address of descriptor 0 */
	bool circular;            /* last links back to the first (camera ring) */
	struct dmabuf_adapter_report report;
};

/* Bytes one descriptor may carry at @align: 4095 rounded down to @align. */
static inline uint32_t esp_gdma_max_bytes(uint32_t align)
{
	return ESP_GDMA_MAX_BYTES & ~(align - 1);
}

/* Descriptors the chain for @m needs at @align (every segment cut at
 * esp_gdma_max_bytes(align)); 0 for a NULL or empty mapping, a zero segment
 * size or an @align that is not a power of two up to 64. */
uint32_t esp_gdma_chain_length(const struct dmabuf_mapping *m, uint32_t align);

/*
 * Write the chain for @m into @descriptors (@capacity slots of
 * @config->stride bytes; the memory the engine will read at bus address
 * @config->bus_base). Every descriptor is handed to the DMA (owner = 1).
 * TX: size = length = the piece, suc_eof on the last. RX: size = the piece,
 * length 0 and no suc_eof (the engine writes both). The last links to 0, or
 * to the first when circular. Nothing is written on failure.
 * @retval the number of descriptors written; -EINVAL bad config or a mapping
 *         the channel cannot take (direction, alignment of the address or of
 *         the segment size; an RX length not whole blocks); -ENOMEM
 *         @capacity too small.
 */
int esp_gdma_chain_build(void *descriptors, uint32_t capacity, const struct dmabuf_mapping *m,
			 const struct esp_gdma_chain_config *config);

/* Descriptor @index of a chain written with @stride. */
static inline struct esp_gdma_descriptor *esp_gdma_chain_at(void *descriptors, uint32_t stride,
							    uint32_t index)
{
	return (struct esp_gdma_descriptor *)((uint8_t *)descriptors + (size_t)index * stride);
}

/*
 * Bytes an RX chain received: the sum of the length fields the engine wrote,
 * up to and including the descriptor it marked suc_eof (all @count if none
 * is). Read it after the end-of-frame event -- after invalidating the
 * descriptors when they sit in cached memory (ESP32-P4).
 * @retval 0 and *bytes set; -EIO the engine flagged err_eof; -EINVAL bad
 *         arguments.
 */
int esp_gdma_chain_received(const void *descriptors, uint32_t stride, uint32_t count, uint32_t *bytes);

#endif /* DMABUF_ESP_GDMA_CHAIN_H */
