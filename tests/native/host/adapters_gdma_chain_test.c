/*
 * GDMA descriptor chains built from mappings (firmware/adapters/esp): the
 * 4095/4092/4032 piece limits, owner and EOF bits, links, circular chains,
 * the AXI 16-byte slots, and that refused input writes nothing.
 *
 * The builder is firmware code that no host library compiles, so the suite
 * compiles it in (it only writes memory: what is checked here is byte for
 * byte what an ESP32 engine would fetch).
 */
#include <stdlib.h>
#include <string.h>

#include "../../../firmware/adapters/esp/esp_gdma_chain.c"
#include "adapter_mapping.h"
#include "unit.h"

#define SLOTS 16u
#define DESC_BUS 0x3FC90000u /* where the descriptors would sit on an S3 */
#define BUF_BUS 0x3FCA0000u

static uint32_t reports;

static void count_report(void *user, const char *message)
{
	(void)user;
	(void)message;
	reports++;
}

static struct esp_gdma_chain_config config_for(enum esp_gdma_direction dir, uint32_t align)
{
	struct esp_gdma_chain_config c = {
		.direction = dir,
		.align = align,
		.stride = ESP_GDMA_STRIDE_AHB,
		.bus_base = DESC_BUS,
		.report = { count_report, NULL },
	};
	reports = 0;
	return c;
}

static uint32_t size_of(const struct esp_gdma_descriptor *d)
{
	return d->dw0 & ESP_GDMA_DW0_SIZE_MASK;
}

static uint32_t length_of(const struct esp_gdma_descriptor *d)
{
	return (d->dw0 & ESP_GDMA_DW0_LENGTH_MASK) >> ESP_GDMA_DW0_LENGTH_SHIFT;
}

static void piece_limits_follow_the_alignment(void)
{
	UNIT_EQ(esp_gdma_max_bytes(1), 4095);
	UNIT_EQ(esp_gdma_max_bytes(4), 4092);
	UNIT_EQ(esp_gdma_max_bytes(16), 4080);
	UNIT_EQ(esp_gdma_max_bytes(64), 4032);
}

/* One 10000-byte segment at each alignment: pieces of the limit, the rest last. */
static void check_split(uint32_t align, uint32_t first, uint32_t last)
{
	struct esp_gdma_descriptor d[SLOTS];
	struct dmabuf_mapping m = adapter_mapping(BUF_BUS, 10000, 10000, DMABUF_TO_DEVICE);
	struct esp_gdma_chain_config c = config_for(ESP_GDMA_TX, align);
	UNIT_EQ(esp_gdma_chain_length(&m, align), 3);
	UNIT_EQ(esp_gdma_chain_build(d, SLOTS, &m, &c), 3);
	UNIT_EQ(size_of(&d[0]), first);
	UNIT_EQ(size_of(&d[1]), first);
	UNIT_EQ(size_of(&d[2]), last);
	UNIT_EQ(d[1].buffer, BUF_BUS + first);
	UNIT_EQ(d[2].buffer, BUF_BUS + 2 * first);
	UNIT_EQ(first * 2 + last, 10000);
}

static void tx_pieces_are_4095_4092_4032_at_align_1_4_64(void)
{
	check_split(1, 4095, 1810);
	UNIT_CHECK_HELPER();
	check_split(4, 4092, 1816);
	UNIT_CHECK_HELPER();
	check_split(64, 4032, 1936);
}

static void tx_owner_on_all_eof_on_last_and_links_in_order(void)
{
	struct esp_gdma_descriptor d[SLOTS];
	struct dmabuf_mapping m = adapter_mapping(BUF_BUS, 10000, 10000, DMABUF_TO_DEVICE);
	struct esp_gdma_chain_config c = config_for(ESP_GDMA_TX, 4);
	UNIT_EQ(esp_gdma_chain_build(d, SLOTS, &m, &c), 3);
	for (uint32_t i = 0; i < 3; i++) {
		UNIT_ASSERT(d[i].dw0 & ESP_GDMA_DW0_OWNER_DMA);
		UNIT_EQ(length_of(&d[i]), size_of(&d[i])); /* TX: every byte valid */
		UNIT_EQ(!!(d[i].dw0 & ESP_GDMA_DW0_SUC_EOF), i == 2);
		UNIT_EQ(d[i].dw0 & ESP_GDMA_DW0_ERR_EOF, 0);
	}
	UNIT_EQ(d[0].next, DESC_BUS + 12);
	UNIT_EQ(d[1].next, DESC_BUS + 24);
	UNIT_EQ(d[2].next, 0);
}

static void segments_of_the_mapping_are_never_merged(void)
{
	/* The S3 "spi2" device: 4092-byte segments; the last one short. */
	struct esp_gdma_descriptor d[SLOTS];
	struct dmabuf_mapping m = adapter_mapping(BUF_BUS, 3 * 4092 + 100, 4092, DMABUF_TO_DEVICE);
	struct esp_gdma_chain_config c = config_for(ESP_GDMA_TX, 4);
	UNIT_EQ(esp_gdma_chain_build(d, SLOTS, &m, &c), 4);
	for (uint32_t i = 0; i < 3; i++) {
		UNIT_EQ(size_of(&d[i]), 4092);
		UNIT_EQ(d[i].buffer, BUF_BUS + i * 4092);
	}
	UNIT_EQ(size_of(&d[3]), 100);

	/* Segments larger than a descriptor are cut again, each on its own. */
	m = adapter_mapping(BUF_BUS, 2 * 6000, 6000, DMABUF_TO_DEVICE);
	UNIT_EQ(esp_gdma_chain_build(d, SLOTS, &m, &c), 4);
	UNIT_EQ(size_of(&d[0]), 4092);
	UNIT_EQ(size_of(&d[1]), 6000 - 4092);
	UNIT_EQ(d[2].buffer, BUF_BUS + 6000);
	UNIT_EQ(size_of(&d[3]), 6000 - 4092);
}

static void rx_leaves_length_and_eof_to_the_engine(void)
{
	struct esp_gdma_descriptor d[SLOTS];
	struct dmabuf_mapping m = adapter_mapping(BUF_BUS, 8192, 8192, DMABUF_FROM_DEVICE);
	struct esp_gdma_chain_config c = config_for(ESP_GDMA_RX, 64);
	UNIT_EQ(esp_gdma_chain_build(d, SLOTS, &m, &c), 3);
	UNIT_EQ(size_of(&d[0]), 4032);
	UNIT_EQ(size_of(&d[2]), 8192 - 2 * 4032);
	for (uint32_t i = 0; i < 3; i++) {
		UNIT_EQ(length_of(&d[i]), 0);
		UNIT_EQ(d[i].dw0 & ESP_GDMA_DW0_SUC_EOF, 0);
		UNIT_ASSERT(d[i].dw0 & ESP_GDMA_DW0_OWNER_DMA);
	}
	UNIT_EQ(d[2].next, 0);
}

static void circular_chain_links_back_to_the_first(void)
{
	struct esp_gdma_descriptor d[SLOTS];
	struct dmabuf_mapping m = adapter_mapping(BUF_BUS, 8192, 8192, DMABUF_FROM_DEVICE);
	struct esp_gdma_chain_config c = config_for(ESP_GDMA_RX, 4);
	c.circular = true;
	UNIT_EQ(esp_gdma_chain_build(d, SLOTS, &m, &c), 3);
	UNIT_EQ(d[2].next, DESC_BUS);
}

static void axi_descriptors_sit_in_16_byte_slots(void)
{
	uint32_t words[SLOTS * 4];
	memset(words, 0xA5, sizeof(words));
	struct dmabuf_mapping m = adapter_mapping(BUF_BUS, 5000, 5000, DMABUF_TO_DEVICE);
	struct esp_gdma_chain_config c = config_for(ESP_GDMA_TX, 64);
	c.stride = ESP_GDMA_STRIDE_AXI;
	UNIT_EQ(esp_gdma_chain_build(words, SLOTS, &m, &c), 2);
	UNIT_EQ(words[0] & ESP_GDMA_DW0_SIZE_MASK, 4032);
	UNIT_EQ(words[2], DESC_BUS + 16); /* next of slot 0 */
	UNIT_EQ(words[3], 0xA5A5A5A5u);   /* the pad word is not ours */
	UNIT_EQ(words[4] & ESP_GDMA_DW0_SIZE_MASK, 5000 - 4032);
	UNIT_EQ(words[5], BUF_BUS + 4032);

	c.bus_base = DESC_BUS + 4; /* AXI-GDMA wants 8-byte aligned descriptors */
	UNIT_EQ(esp_gdma_chain_build(words, SLOTS, &m, &c), DMABUF_EINVAL);
}

/* Each refusal returns its error, reports once and leaves memory untouched. */
static void expect_refused(const struct dmabuf_mapping *m, const struct esp_gdma_chain_config *c,
			   uint32_t capacity, int want)
{
	struct esp_gdma_descriptor d[SLOTS];
	memset(d, 0x5A, sizeof(d));
	reports = 0;
	UNIT_EQ(esp_gdma_chain_build(d, capacity, m, c), want);
#if defined(DMABUF_DEBUG)
	UNIT_EQ(reports, 1);
#endif
	const uint8_t *bytes = (const uint8_t *)d;
	for (size_t i = 0; i < sizeof(d); i++)
		UNIT_EQ(bytes[i], 0x5A);
}

static void bad_input_is_refused_and_writes_nothing(void)
{
	struct dmabuf_mapping m = adapter_mapping(BUF_BUS, 10000, 10000, DMABUF_TO_DEVICE);
	struct esp_gdma_chain_config c = config_for(ESP_GDMA_TX, 4);

	expect_refused(&m, &c, 2, DMABUF_ENOMEM); /* needs 3 */
	UNIT_CHECK_HELPER();

	struct dmabuf_mapping wrong_way = adapter_mapping(BUF_BUS, 4096, 4096, DMABUF_FROM_DEVICE);
	expect_refused(&wrong_way, &c, SLOTS, DMABUF_EINVAL);
	UNIT_CHECK_HELPER();

	struct dmabuf_mapping unaligned = adapter_mapping(BUF_BUS + 2, 4096, 4096, DMABUF_TO_DEVICE);
	expect_refused(&unaligned, &c, SLOTS, DMABUF_EINVAL);
	UNIT_CHECK_HELPER();

	/* 4094-byte segments would start the second piece off a word. */
	struct dmabuf_mapping odd_segments = adapter_mapping(BUF_BUS, 8188, 4094, DMABUF_TO_DEVICE);
	expect_refused(&odd_segments, &c, SLOTS, DMABUF_EINVAL);
	UNIT_CHECK_HELPER();

	struct esp_gdma_chain_config rx = config_for(ESP_GDMA_RX, 64);
	struct dmabuf_mapping rx_short_block = adapter_mapping(BUF_BUS, 4000, 4000, DMABUF_FROM_DEVICE);
	expect_refused(&rx_short_block, &rx, SLOTS, DMABUF_EINVAL);
	UNIT_CHECK_HELPER();

	struct dmabuf_mapping forged = m;
	forged.segment_count = 7;
	expect_refused(&forged, &c, SLOTS, DMABUF_EINVAL);
	UNIT_CHECK_HELPER();

	struct esp_gdma_chain_config bad_align = config_for(ESP_GDMA_TX, 3);
	expect_refused(&m, &bad_align, SLOTS, DMABUF_EINVAL);
	UNIT_CHECK_HELPER();

	expect_refused(NULL, &c, SLOTS, DMABUF_EINVAL);
}

static void received_sums_lengths_up_to_the_eof(void)
{
	struct esp_gdma_descriptor d[SLOTS];
	struct dmabuf_mapping m = adapter_mapping(BUF_BUS, 3 * 4032, 3 * 4032, DMABUF_FROM_DEVICE);
	struct esp_gdma_chain_config c = config_for(ESP_GDMA_RX, 64);
	UNIT_EQ(esp_gdma_chain_build(d, SLOTS, &m, &c), 3);
	/* The engine filled one descriptor, then ended the frame in the second. */
	d[0].dw0 = (d[0].dw0 & ~ESP_GDMA_DW0_OWNER_DMA) | (4032u << ESP_GDMA_DW0_LENGTH_SHIFT);
	d[1].dw0 = (d[1].dw0 & ~ESP_GDMA_DW0_OWNER_DMA) | (1000u << ESP_GDMA_DW0_LENGTH_SHIFT) |
		   ESP_GDMA_DW0_SUC_EOF;
	uint32_t bytes = 0;
	UNIT_EQ(esp_gdma_chain_received(d, ESP_GDMA_STRIDE_AHB, 3, &bytes), 0);
	UNIT_EQ(bytes, 5032);

	d[1].dw0 |= ESP_GDMA_DW0_ERR_EOF;
	UNIT_EQ(esp_gdma_chain_received(d, ESP_GDMA_STRIDE_AHB, 3, &bytes), DMABUF_EIO);
}

/*
 * Chains from mappings the core makes for the ESP32-S3 board's devices
 * (their real windows, alignments and 4095-byte segment limits), over host
 * memory standing at the S3's internal SRAM and PSRAM addresses.
 */
static int s3_chain(const char *device, uint32_t size, enum dmabuf_direction dir,
		    enum esp_gdma_direction gdma_dir, struct esp_gdma_descriptor *d, uint32_t slots,
		    struct dmabuf_mapping *m)
{
	const struct dmabuf_board *real = dmabuf_board_find("esp32s3-octal-psram");
	if (!real)
		return -1000;
	struct dmabuf_region_desc regions[2] = {
		{ "sram", 0x3FCA0000u, 64u * 1024u, 0, 32 },
		{ "psram", 0x3D100000u, 512u * 1024u, DMABUF_REGION_CACHEABLE, 32 },
	};
	struct dmabuf_board board = *real;
	board.regions = regions;
	board.region_count = 2;
	void *region_memory[2] = { aligned_alloc(32, regions[0].size), aligned_alloc(32, regions[1].size) };
	struct dmabuf_config config = {
		.board = &board,
		.region_memory = region_memory,
		.cache = &dmabuf_cache_none,
		.max_buffers = 2,
		.max_attachments = 2,
	};
	size_t need = dmabuf_storage_size(&config);
	void *storage = aligned_alloc(8, (need + 7) / 8 * 8);
	struct dmabuf_ctx *ctx = NULL;
	dmabuf_handle_t buffer = 0, attachment = 0;
	int device_index = -1;
	int err = dmabuf_init(&ctx, storage, need, &config);
	if (!err)
		err = dmabuf_export(ctx, size, device, DMABUF_EXPORT_DEFER_PLACEMENT, &buffer);
	if (!err)
		err = dmabuf_attach(ctx, buffer, device_index = dmabuf_device_find(ctx, device), &attachment);
	if (!err)
		err = dmabuf_map(ctx, attachment, dir, m);
	if (!err) {
		struct esp_gdma_chain_config c = config_for(gdma_dir, real->devices[device_index].align);
		err = esp_gdma_chain_build(d, slots, m, &c);
		dmabuf_unmap(ctx, attachment, m, dir);
	}
	if (ctx) {
		dmabuf_detach(ctx, attachment);
		dmabuf_put(ctx, buffer);
		dmabuf_deinit(ctx);
	}
	free(storage);
	free(region_memory[0]);
	free(region_memory[1]);
	return err;
}

static void spi2_mapping_chains_in_4092_byte_pieces(void)
{
	struct esp_gdma_descriptor d[SLOTS];
	struct dmabuf_mapping m;
	UNIT_EQ(s3_chain("spi2", 10000, DMABUF_TO_DEVICE, ESP_GDMA_TX, d, SLOTS, &m), 3);
	UNIT_EQ(m.segment_bytes, 4092);
	UNIT_EQ(size_of(&d[0]), 4092);
	UNIT_EQ(size_of(&d[1]), 4092);
	UNIT_EQ(size_of(&d[2]), 10000 - 2 * 4092);
	UNIT_EQ(d[0].buffer, m.dma_addr);
	UNIT_ASSERT(d[0].buffer >= 0x3FCA0000u && d[0].buffer < 0x3FCB0000u); /* internal SRAM only */
	UNIT_ASSERT(d[2].dw0 & ESP_GDMA_DW0_SUC_EOF);
}

static void camera_mapping_chains_whole_32_byte_blocks(void)
{
	static struct esp_gdma_descriptor d[64];
	struct dmabuf_mapping m;
	int count = s3_chain("lcd-cam-camera", 320 * 240 * 2, DMABUF_FROM_DEVICE, ESP_GDMA_RX, d, 64, &m);
	UNIT_EQ(count, (320 * 240 * 2 + 4063) / 4064);
	uint32_t total = 0;
	for (int i = 0; i < count; i++) {
		UNIT_EQ(size_of(&d[i]) % 32, 0);
		UNIT_EQ(d[i].buffer % 32, 0);
		UNIT_ASSERT(size_of(&d[i]) <= 4064);
		total += size_of(&d[i]);
	}
	UNIT_EQ(total, 320 * 240 * 2);
}

const struct unit_suite suite_adapters_gdma_chain = UNIT_SUITE(adapters_gdma_chain,
	UNIT_TEST(piece_limits_follow_the_alignment),
	UNIT_TEST(tx_pieces_are_4095_4092_4032_at_align_1_4_64),
	UNIT_TEST(tx_owner_on_all_eof_on_last_and_links_in_order),
	UNIT_TEST(segments_of_the_mapping_are_never_merged),
	UNIT_TEST(rx_leaves_length_and_eof_to_the_engine),
	UNIT_TEST(circular_chain_links_back_to_the_first),
	UNIT_TEST(axi_descriptors_sit_in_16_byte_slots),
	UNIT_TEST(bad_input_is_refused_and_writes_nothing),
	UNIT_TEST(received_sums_lengths_up_to_the_eof),
	UNIT_TEST(spi2_mapping_chains_in_4092_byte_pieces),
	UNIT_TEST(camera_mapping_chains_whole_32_byte_blocks));
