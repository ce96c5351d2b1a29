#include "sim/test_board.h"

const struct dmabuf_board *test_board_build(struct test_board *tb, uint32_t line,
					    uint32_t whole_cache_threshold)
{
	*tb = (struct test_board){
		.regions = {
			{ "sram", TEST_SRAM_BASE, TEST_SRAM_SIZE, DMABUF_REGION_CACHEABLE, line },
			{ "sram2", TEST_SRAM2_BASE, TEST_SRAM2_SIZE, DMABUF_REGION_CACHEABLE, line },
			{ "nocache", TEST_NOCACHE_BASE, TEST_NOCACHE_SIZE, 0, line },
		},
		.all_window = { TEST_SRAM_BASE, TEST_NOCACHE_BASE + TEST_NOCACHE_SIZE - TEST_SRAM_BASE },
		.sram2_window = { TEST_SRAM2_BASE, TEST_SRAM2_SIZE },
	};
	tb->devices[0] = (struct dmabuf_device_desc){ "camera", &tb->all_window, 1, 4, 128, 0, 0 };
	tb->devices[1] = (struct dmabuf_device_desc){ "display", &tb->all_window, 1, 4, 96, 0, 0 };
	tb->devices[2] = (struct dmabuf_device_desc){ "dma2", &tb->sram2_window, 1, 4, 128, 0, 0 };
	tb->devices[3] = (struct dmabuf_device_desc){ "snooper", &tb->all_window, 1, 4, 128, 0, 1 };
	tb->board = (struct dmabuf_board){
		.name = "test",
		.description = "simulator test board",
		.regions = tb->regions,
		.region_count = 3,
		.devices = tb->devices,
		.device_count = 4,
		.dcache_size = TEST_DCACHE_SIZE,
		.whole_cache_threshold = whole_cache_threshold,
	};
	return &tb->board;
}
