/*
 * STM32F7 register blocks used by the DMA adapters: DMA1/DMA2, DCMI, LTDC, SPI.
 *
 * Our own definitions, written from RM0410 (STM32F76xxx/77xxx reference
 * manual) register maps: DMA chapter (DMA_LISR..DMA_SxFCR, "DMA register
 * map"), DCMI chapter (DCMI_CR..DCMI_DR), LTDC chapter (LTDC_SSCR..LTDC_CDSR,
 * LTDC_LxCR..LTDC_LxCLUTWR; layer 1 at 0x84, layer 2 at 0x104) and SPI
 * chapter (SPI_CR1..SPI_I2SPR). Offsets and bit positions were cross-checked
 * against ST's stm32f769xx.h (github STMicroelectronics/cmsis_device_f7,
 * commit b01bc43f); no code is taken from it. The static_asserts below pin
 * every offset the adapters use, so a layout slip fails the build, not the
 * board.
 *
 * The adapters never use a fixed base address: each takes a pointer to the
 * block, so host tests hand them a fake block in RAM. On the chip the blocks
 * sit at DMA1 0x40026000, DMA2 0x40026400, DCMI 0x50050000, LTDC 0x40016800,
 * SPI1 0x40013000 (RM0410 memory map) -- the board code passes those.
 */
#ifndef DMABUF_STM32_REGS_H
#define DMABUF_STM32_REGS_H

#include <assert.h>
#include <stddef.h>
#include <stdint.h>

/* ---- register access ----------------------------------------------------- */

/*
 * Every register access of the adapters goes through these two functions.
 * Host tests define STM32_ADAPTER_TRACE and provide the two hooks to log the
 * order of accesses and to play the hardware's side of a register (write-1-
 * to-clear flags, an enable bit that reads back late). On the target the
 * hooks do not exist and each call is one volatile load or store.
 */
#if defined(STM32_ADAPTER_TRACE)
void stm32_adapter_trace_write(volatile uint32_t *reg, uint32_t value);
void stm32_adapter_trace_read(const volatile uint32_t *reg);
#endif

static inline void stm32_write(volatile uint32_t *reg, uint32_t value)
{
	*reg = value;
#if defined(STM32_ADAPTER_TRACE)
	stm32_adapter_trace_write(reg, value);
#endif
}

static inline uint32_t stm32_read(const volatile uint32_t *reg)
{
#if defined(STM32_ADAPTER_TRACE)
	stm32_adapter_trace_read(reg);
#endif
	return *reg;
}

/* A register's bus address, for the DMA's peripheral address register. */
static inline uint32_t stm32_bus_address(const volatile void *reg)
{
	return (uint32_t)(uintptr_t)reg;
}

/* ---- DMA1 / DMA2 ----------------------------------------------------------- */

struct stm32_dma_stream_regs {
	uint32_t cr;   /* 0x00 DMA_SxCR   configuration */
	uint32_t ndtr; /* 0x04 DMA_SxNDTR number of data items (16 bits) */
	uint32_t par;  /* 0x08 DMA_SxPAR  peripheral address */
	uint32_t m0ar; /* 0x0C DMA_SxM0AR memory 0 address */
	uint32_t m1ar; /* 0x10 DMA_SxM1AR memory 1 address (double-buffer mode) */
	uint32_t fcr;  /* 0x14 DMA_SxFCR  FIFO control */
};

struct stm32_dma_regs {
	uint32_t lisr;  /* 0x00 flags of streams 0..3 */
	uint32_t hisr;  /* 0x04 flags of streams 4..7 */
	uint32_t lifcr; /* 0x08 write 1 to clear LISR flags */
	uint32_t hifcr; /* 0x0C write 1 to clear HISR flags */
	struct stm32_dma_stream_regs stream[8]; /* 0x10 + 0x18 * x */
};

static_assert(offsetof(struct stm32_dma_regs, stream[0].cr) == 0x10, "DMA_S0CR");
static_assert(offsetof(struct stm32_dma_regs, stream[1].cr) == 0x28, "DMA_S1CR");
static_assert(offsetof(struct stm32_dma_regs, stream[7].fcr) == 0xCC, "DMA_S7FCR");

#define STM32_DMA_STREAMS 8u

/* DMA_SxCR */
#define DMA_SXCR_EN (1u << 0)
#define DMA_SXCR_DMEIE (1u << 1)
#define DMA_SXCR_TEIE (1u << 2)
#define DMA_SXCR_TCIE (1u << 4)
#define DMA_SXCR_DIR_P2M (0u << 6)
#define DMA_SXCR_DIR_M2P (1u << 6)
#define DMA_SXCR_DIR_MASK (3u << 6)
#define DMA_SXCR_MINC (1u << 10)
#define DMA_SXCR_PSIZE_SHIFT 11
#define DMA_SXCR_MSIZE_SHIFT 13
#define DMA_SXCR_SIZE_BYTE 0u
#define DMA_SXCR_SIZE_HALF 1u
#define DMA_SXCR_SIZE_WORD 2u
#define DMA_SXCR_PL_SHIFT 16
#define DMA_SXCR_DBM (1u << 18)
#define DMA_SXCR_CT (1u << 19)
#define DMA_SXCR_CHSEL_SHIFT 25 /* CHSEL[3:0], 28:25 on F76x/F77x */

/* DMA_SxNDTR: NDT[15:0]. The count is of peripheral-size (PSIZE) items. */
#define DMA_SXNDTR_MAX 0xFFFFu

/* DMA_SxFCR */
#define DMA_SXFCR_FTH_FULL 3u
#define DMA_SXFCR_DMDIS (1u << 2)

/*
 * Stream flags in DMA_LISR/HISR: six-bit groups at bit 0, 6, 16 and 22 for
 * streams 0..3 (4..7 in HISR). The adapters use them normalised to the
 * stream-0 positions below -- which is also how ChibiOS's DMA driver hands
 * them to a stream callback.
 */
#define STM32_DMA_FEIF (1u << 0)
#define STM32_DMA_DMEIF (1u << 2)
#define STM32_DMA_TEIF (1u << 3)
#define STM32_DMA_HTIF (1u << 4)
#define STM32_DMA_TCIF (1u << 5)
#define STM32_DMA_ALL_FLAGS                                                                        \
	(STM32_DMA_FEIF | STM32_DMA_DMEIF | STM32_DMA_TEIF | STM32_DMA_HTIF | STM32_DMA_TCIF)

/* ---- DCMI ------------------------------------------------------------------ */

struct stm32_dcmi_regs {
	uint32_t cr;      /* 0x00 DCMI_CR */
	uint32_t sr;      /* 0x04 DCMI_SR */
	uint32_t ris;     /* 0x08 DCMI_RIS raw interrupt status */
	uint32_t ier;     /* 0x0C DCMI_IER */
	uint32_t mis;     /* 0x10 DCMI_MIS */
	uint32_t icr;     /* 0x14 DCMI_ICR write 1 to clear */
	uint32_t escr;    /* 0x18 embedded sync codes */
	uint32_t esur;    /* 0x1C embedded sync unmask */
	uint32_t cwstrt;  /* 0x20 crop window start */
	uint32_t cwsize;  /* 0x24 crop window size */
	uint32_t dr;      /* 0x28 DCMI_DR: 4 bytes of pixel data per DMA request */
};

static_assert(offsetof(struct stm32_dcmi_regs, icr) == 0x14, "DCMI_ICR");
static_assert(offsetof(struct stm32_dcmi_regs, dr) == 0x28, "DCMI_DR");

/* DCMI_CR */
#define DCMI_CR_CAPTURE (1u << 0)
#define DCMI_CR_CM_SNAPSHOT (1u << 1)
#define DCMI_CR_ENABLE (1u << 14)
/* DCMI_ICR: FRAME, OVR, ERR, VSYNC, LINE */
#define DCMI_ICR_ALL 0x1Fu

/* ---- LTDC ------------------------------------------------------------------ */

struct stm32_ltdc_layer_regs {
	uint32_t cr;          /* 0x00 LTDC_LxCR */
	uint32_t whpcr;       /* 0x04 window horizontal position */
	uint32_t wvpcr;       /* 0x08 window vertical position */
	uint32_t ckcr;        /* 0x0C color keying */
	uint32_t pfcr;        /* 0x10 pixel format */
	uint32_t cacr;        /* 0x14 constant alpha */
	uint32_t dccr;        /* 0x18 default color */
	uint32_t bfcr;        /* 0x1C blending factors */
	uint32_t reserved0[2];
	uint32_t cfbar;       /* 0x28 LTDC_LxCFBAR frame buffer start address */
	uint32_t cfblr;       /* 0x2C LTDC_LxCFBLR pitch / line length */
	uint32_t cfblnr;      /* 0x30 LTDC_LxCFBLNR number of lines */
	uint32_t reserved1[3];
	uint32_t clutwr;      /* 0x40 CLUT write */
	uint32_t reserved2[15];
};

struct stm32_ltdc_regs {
	uint32_t reserved0[2];
	uint32_t sscr;  /* 0x08 */
	uint32_t bpcr;  /* 0x0C */
	uint32_t awcr;  /* 0x10 */
	uint32_t twcr;  /* 0x14 */
	uint32_t gcr;   /* 0x18 */
	uint32_t reserved1[2];
	uint32_t srcr;  /* 0x24 LTDC_SRCR shadow reload */
	uint32_t reserved2;
	uint32_t bccr;  /* 0x2C */
	uint32_t reserved3;
	uint32_t ier;   /* 0x34 */
	uint32_t isr;   /* 0x38 */
	uint32_t icr;   /* 0x3C */
	uint32_t lipcr; /* 0x40 */
	uint32_t cpsr;  /* 0x44 */
	uint32_t cdsr;  /* 0x48 */
	uint32_t reserved4[14];
	struct stm32_ltdc_layer_regs layer[2]; /* 0x84, 0x104 */
};

static_assert(sizeof(struct stm32_ltdc_layer_regs) == 0x80, "LTDC layer stride");
static_assert(offsetof(struct stm32_ltdc_regs, srcr) == 0x24, "LTDC_SRCR");
static_assert(offsetof(struct stm32_ltdc_regs, layer[0].cr) == 0x84, "LTDC_L1CR");
static_assert(offsetof(struct stm32_ltdc_regs, layer[0].cfbar) == 0xAC, "LTDC_L1CFBAR");
static_assert(offsetof(struct stm32_ltdc_regs, layer[0].cfblnr) == 0xB4, "LTDC_L1CFBLNR");
static_assert(offsetof(struct stm32_ltdc_regs, layer[0].clutwr) == 0xC4, "LTDC_L1CLUTWR");
static_assert(offsetof(struct stm32_ltdc_regs, layer[1].cfbar) == 0x12C, "LTDC_L2CFBAR");
static_assert(offsetof(struct stm32_ltdc_regs, bpcr) == 0x0C, "LTDC_BPCR");
static_assert(offsetof(struct stm32_ltdc_regs, awcr) == 0x10, "LTDC_AWCR");
static_assert(offsetof(struct stm32_ltdc_regs, layer[1].cr) == 0x104, "LTDC_L2CR");
static_assert(offsetof(struct stm32_ltdc_regs, layer[1].pfcr) == 0x114, "LTDC_L2PFCR");
static_assert(offsetof(struct stm32_ltdc_regs, layer[1].bfcr) == 0x120, "LTDC_L2BFCR");

/* LTDC_SRCR: reload the shadow registers now (IMR) or at vertical blanking (VBR);
 * hardware clears the bit once the reload has happened. */
#define LTDC_SRCR_IMR (1u << 0)
#define LTDC_SRCR_VBR (1u << 1)
/* LTDC_LxCFBLR: CFBP[28:16] pitch in bytes, CFBLL[12:0] line length in bytes + 3 */
#define LTDC_CFBLR_PITCH_SHIFT 16
#define LTDC_CFBLR_FIELD_MAX 0x1FFFu
#define LTDC_CFBLR_LINE_EXTRA 3u
/* LTDC_LxCFBLNR: CFBLNBR[10:0] */
#define LTDC_CFBLNR_MAX 0x7FFu
/* LTDC_BPCR: AHBP[27:16], AVBP[10:0]; LTDC_AWCR: AAW[27:16], AAH[10:0] (the
 * accumulated back porches and active sizes the display timing set, in pixel
 * clocks and lines counted from the sync pulse's start, minus one). */
#define LTDC_ACCUMULATED_X(reg) (((reg) >> 16) & 0xFFFu)
#define LTDC_ACCUMULATED_Y(reg) ((reg) & 0x7FFu)
/* LTDC_LxWHPCR: WHSPPOS[27:16] last, WHSTPOS[11:0] first column; LTDC_LxWVPCR likewise in lines. */
#define LTDC_WINDOW_STOP_SHIFT 16
/* LTDC_LxCR: LEN layer enable. */
#define LTDC_LXCR_LEN (1u << 0)
/* LTDC_LxPFCR: PF[2:0] = 010 RGB565 (RM0410; HAL's LTDC_PIXEL_FORMAT_RGB565). */
#define LTDC_PF_RGB565 2u
/* LTDC_LxCACR: CONSTA[7:0], 255 = opaque. */
#define LTDC_CACR_OPAQUE 0xFFu
/* LTDC_LxBFCR: BF1[10:8] = 100 constant alpha, BF2[2:0] = 101 1 - constant alpha. */
#define LTDC_BFCR_CONSTANT_ALPHA ((4u << 8) | 5u)

/* ---- SPI ------------------------------------------------------------------- */

struct stm32_spi_regs {
	uint32_t cr1;     /* 0x00 */
	uint32_t cr2;     /* 0x04 */
	uint32_t sr;      /* 0x08 */
	uint32_t dr;      /* 0x0C data register: the TX stream's peripheral address */
	uint32_t crcpr;   /* 0x10 */
	uint32_t rxcrcr;  /* 0x14 */
	uint32_t txcrcr;  /* 0x18 */
	uint32_t i2scfgr; /* 0x1C */
	uint32_t i2spr;   /* 0x20 */
};

static_assert(offsetof(struct stm32_spi_regs, dr) == 0x0C, "SPI_DR");
static_assert(offsetof(struct stm32_spi_regs, i2spr) == 0x20, "SPI_I2SPR");

#define SPI_CR1_SPE (1u << 6)
#define SPI_CR2_TXDMAEN (1u << 1)
#define SPI_SR_BSY (1u << 7)
#define SPI_SR_FRLVL_MASK (3u << 9)
#define SPI_SR_FTLVL_MASK (3u << 11)

#endif /* DMABUF_STM32_REGS_H */
