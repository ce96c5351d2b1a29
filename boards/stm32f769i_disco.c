/*
 * STM32F769I-DISCO (STM32F769NI, Cortex-M7).
 *
 * Sources:
 *  [RM0410]  STM32F76xxx/77xxx reference manual: §2.1 system architecture
 *            (bus matrix masters: DMA1/2 memory ports, LCD-TFT, DMA2D, AXI of
 *            the core), §2.2 memory map (SRAM1 0x20020000 368 KB, SRAM2
 *            0x2007C000 16 KB), FMC SDRAM bank 1 at 0xC0000000, DMA_SxNDTR
 *            (NDT[15:0]), LTDC_LxCFBLR / LTDC_LxCFBLNR, DMA2D_NLR.
 *  [DS11532] STM32F765/767/768/769 datasheet: 16 KB I-cache + 16 KB D-cache.
 *  [TRM]     Arm Cortex-M7 TRM (DDI0489) §5 memory system: D-cache 4-way
 *            set-associative, 32-byte lines; write-back for WBWA memory.
 *  [ARMv7M]  ARMv7-M ARM §B3.1 default memory map: 0x20000000-0x3FFFFFFF
 *            Normal WBWA (cached); 0xA0000000-0xDFFFFFFF Device (uncached).
 *  [UM2033]  32F769IDISCOVERY user manual: 128-Mbit (16 MB) SDRAM on the FMC.
 *  [NF]      nf-interpreter (commit a3e8139a1), targets/ChibiOS/
 *            ST_STM32F769I_DISCOVERY: nanoCLR/mcuconf.h STM32_NOCACHE_ENABLE
 *            FALSE and STM32_SRAM2_NOCACHE FALSE (no MPU region over SRAM1/2);
 *            target_external_memory.c Target_ExternalMemoryConfigMPU: MPU
 *            region 0 = 0xC0000000, 16 MB, TEX 1, not cacheable, not
 *            bufferable (Normal non-cacheable); nanoCLR/STM32F76xx_CLR.ld:
 *            DTCM (ram3) holds the main and process stacks, .bss, NOCACHE_RAM
 *            and ETH_RAM.
 *
 * The board describes the chip as our firmware integration
 * (firmware/nf-interpreter/, on nf-interpreter's ChibiOS target) sets it up:
 *  - SRAM1 and SRAM2 are write-back cached: the default map [ARMv7M], which
 *    the firmware leaves alone [NF].
 *  - The SDRAM is Normal non-cacheable: the firmware's MPU region 0 [NF]
 *    (the default map would make it Device [ARMv7M]). It is the only
 *    uncached region, so PREFER_UNCACHED buffers land there.
 *  - DTCM (0x20000000, 128 KB) is left out although DMA can reach it on the
 *    F7: the bus-matrix masters get to it through the Cortex-M7's AHBS slave
 *    port [RM0410 §2.1, Figure 1], which is why nf-interpreter puts its
 *    Ethernet DMA buffers there (ETH_RAM) [NF]. (On the STM32H7, DMA1/2
 *    cannot reach DTCM at all; this file is F7 only.) It is out because
 *    nothing of it is free: nf-interpreter fills it with stacks, .bss and
 *    those buffers [NF]. No window below covers it either.
 */
#include "boards.h"

/* D-cache line [TRM]. */
#define STM32F7_DCACHE_LINE 32u

static const struct dmabuf_region_desc regions[] = {
	/* SRAM1: 368 KB [RM0410 §2.2], WBWA by default [ARMv7M]. */
	{ "sram1", 0x20020000u, 368u * 1024u, DMABUF_REGION_CACHEABLE, STM32F7_DCACHE_LINE },
	/* SRAM2: 16 KB [RM0410 §2.2], WBWA as well [ARMv7M, NF]. */
	{ "sram2", 0x2007C000u, 16u * 1024u, DMABUF_REGION_CACHEABLE, STM32F7_DCACHE_LINE },
	/* SDRAM: 16 MB on FMC SDRAM bank 1 [UM2033, RM0410 FMC], non-cacheable
	 * through the firmware's MPU region 0 [NF]. */
	{ "sdram", 0xC0000000u, 16u * 1024u * 1024u, 0, STM32F7_DCACHE_LINE },
};

/*
 * Every master below sits on the AHB bus matrix and reaches SRAM1, SRAM2 and
 * the FMC [RM0410 §2.1]: one window for SRAM1+SRAM2 (contiguous, 384 KB) and
 * one for the 256 MB FMC SDRAM bank 1.
 */
static const struct dmabuf_window bus_matrix_windows[] = {
	{ 0x20020000u, (368u + 16u) * 1024u },
	{ 0xC0000000u, 0x10000000u },
};

static const struct dmabuf_device_desc devices[] = {
	/*
	 * DMA2 stream serving a byte-wide peripheral (SPI1/4/5/6 display,
	 * USART): NDTR is 16 bits and counts peripheral-size items [RM0410
	 * DMA_SxNDTR], so 65535 bytes per transfer with byte items; no
	 * alignment needed for byte items. Longer buffers are chained by the
	 * driver re-arming the stream from its transfer-complete interrupt, so
	 * the chain length is not limited (0).
	 */
	{ "dma2", bus_matrix_windows, 2, 1, 65535u, 0, 0 },
	/*
	 * DCMI through DMA2 (stream 1 or 7, channel 1): DCMI_DR is 32 bits, so
	 * items are words: 65535 * 4 bytes per transfer, word-aligned memory
	 * address [RM0410 DCMI, DMA_SxNDTR/MSIZE]. Double-buffer mode plus the
	 * interrupt re-arm chains any number of transfers.
	 */
	{ "dcmi", bus_matrix_windows, 2, 4, 65535u * 4u, 0, 0 },
	/*
	 * LTDC layer: scans one contiguous frame (max_segments 1) of at most
	 * 2047 lines (CFBLNBR[10:0]) of at most 8188 bytes (CFBLL[12:0] holds
	 * the line length + 3) [RM0410 LTDC_LxCFBLR, LTDC_LxCFBLNR]. Word-aligned
	 * start keeps the layer's AHB bursts whole.
	 */
	{ "ltdc", bus_matrix_windows, 2, 4, 2047u * 8188u, 1, 0 },
	/*
	 * DMA2D (Chrom-ART): one rectangle per job (max_segments 1), up to
	 * 16383 pixels x 65535 lines [RM0410 DMA2D_NLR], which exceeds the
	 * 32-bit bus: the byte limit is the bus itself. Word alignment serves
	 * ARGB8888 and every smaller format.
	 */
	{ "dma2d", bus_matrix_windows, 2, 4, 0xFFFFFFFFu, 1, 0 },
};

const struct dmabuf_board dmabuf_board_stm32f769i_disco = {
	.name = "stm32f769i-disco",
	.description = "STM32F769I-DISCO: Cortex-M7, 16 KB D-cache (32 B lines) over SRAM1/SRAM2, 16 MB uncached SDRAM",
	.regions = regions,
	.region_count = sizeof(regions) / sizeof(regions[0]),
	.devices = devices,
	.device_count = sizeof(devices) / sizeof(devices[0]),
	/* [DS11532] */
	.dcache_size = 16u * 1024u,
	/*
	 * From the cost model of docs/CACHE-RULES.md ("What a whole-cache pass
	 * costs everyone else"): per frame the two per-line loops (clean 34 +
	 * 1.072 n, invalidate 31 + 1.568 n instructions, n lines; stage 67) cost
	 * what the two set/way passes (869 + 869) cost plus the refills the
	 * clean+invalidate pass causes to code beside the pipeline, 502 at worst
	 * (a neighbour keeping the whole 16 KB cache hot, measured on the host
	 * simulator), at an estimated 20 cycles each: n = 4,438 lines, rounded up
	 * to 139 KiB. A 320x240 RGB565 frame (150 KiB) is above it.
	 * tests/native/sim/whole_cache_cost_test.c recomputes it and fails when
	 * an input moves it.
	 */
	.whole_cache_threshold = 139u * 1024u,
	/*
	 * Nothing caches between the Cortex-M7's L1 and SRAM1/2 or the FMC: the
	 * core's AXI master reaches them through the AXI-to-AHB bridge and the
	 * bus matrix [RM0410 §2.1, Figure 1], so a clean to the PoU is a clean
	 * to the PoC (backends/cache_cortex_m7.c, by_line_pairs).
	 */
	.dcache_pou_is_poc = 1,
};
