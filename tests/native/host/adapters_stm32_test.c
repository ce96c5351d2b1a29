/*
 * STM32 DMA adapters (firmware/adapters/stm32) programming fake register
 * blocks: NDTR never above 65535, the addresses each transfer gets, the
 * enable / disable order RM0410 prescribes, double-buffer address updates
 * only into the idle register, and refused input touching no register.
 *
 * The adapters are compiled into this suite with STM32_ADAPTER_TRACE, so
 * every register access they make comes through the two hooks below. The
 * hooks log the access and play the hardware's side: write-1-to-clear flag
 * registers, a stream's EN that reads back 1 for a while after being
 * cleared, NDTR that cannot be written while the stream runs, the SPI's BSY
 * and RX FIFO level. Whatever the real peripheral would refuse is counted as
 * a violation, and every test ends with zero violations.
 */
#include <stdlib.h>
#include <string.h>

#define STM32_ADAPTER_TRACE 1
#include "../../../firmware/adapters/stm32/stm32_dcmi.c"
#include "../../../firmware/adapters/stm32/stm32_dma.c"
#include "../../../firmware/adapters/stm32/stm32_ltdc.c"
#include "../../../firmware/adapters/stm32/stm32_spi_tx.c"
#include "../../../firmware/adapters/stm32/stm32_peripherals.c"
#include "adapter_mapping.h"
#include "dmabuf/os.h"
#include "unit.h"

/* ---- the fake peripherals -------------------------------------------------- */

static struct stm32_dma_regs dma2;
static struct stm32_dcmi_regs dcmi;
static struct stm32_spi_regs spi;
static struct stm32_ltdc_regs ltdc;

struct access {
	char kind; /* 'w' or 'r' */
	const volatile uint32_t *reg;
	uint32_t value; /* the value written, or the value the read returned */
};

#define LOG_MAX 4096u
static struct access trace[LOG_MAX];
static uint32_t trace_len;

static struct {
	bool enabled[STM32_DMA_STREAMS]; /* the stream's real state behind EN */
	uint32_t disable_reads;          /* reads of CR that still show EN after a clear */
	uint32_t pending_off[STM32_DMA_STREAMS];
	uint32_t spi_busy_reads; /* SR reads that still show BSY */
	uint32_t spi_rx_frames;  /* frames waiting in the RX FIFO */
	uint32_t max_ndtr;
	uint32_t violations;
	const char *first_violation;
} hw;

static uint32_t reports;

static void count_report(void *user, const char *message)
{
	(void)user;
	(void)message;
	reports++;
}

static void violation(const char *what)
{
	if (!hw.violations++)
		hw.first_violation = what;
}

static void fake_reset(void)
{
	memset(&dma2, 0, sizeof(dma2));
	memset(&dcmi, 0, sizeof(dcmi));
	memset(&spi, 0, sizeof(spi));
	memset(&ltdc, 0, sizeof(ltdc));
	/* The timing nanoFramework's Graphics driver leaves for the DISCO's
	 * 800 x 480 OTM8009A (ST's BSP: HSYNC 2, HBP 34, VSYNC 1, VBP 15):
	 * active columns 36..835, lines 16..495. */
	ltdc.bpcr = (35u << 16) | 15u;
	ltdc.awcr = (835u << 16) | 495u;
	memset(&hw, 0, sizeof(hw));
	trace_len = 0;
	reports = 0;
}

static uint32_t stream_flags_shift(uint32_t s)
{
	static const uint32_t shift[4] = { 0, 6, 16, 22 };
	return shift[s % 4];
}

static volatile uint32_t *stream_isr(uint32_t s)
{
	return s < 4 ? &dma2.lisr : &dma2.hisr;
}

static void dma_write(uint32_t s, volatile uint32_t *reg, uint32_t value)
{
	volatile struct stm32_dma_stream_regs *st = &dma2.stream[s];
	if (reg == &st->cr) {
		bool on = value & DMA_SXCR_EN;
		if (hw.enabled[s] && on)
			violation("stream configuration written while enabled");
		if (!hw.enabled[s] && on) {
			if ((*stream_isr(s) >> stream_flags_shift(s)) & STM32_DMA_ALL_FLAGS)
				violation("stream enabled with its flags still set");
			if (st->ndtr == 0)
				violation("stream enabled with NDTR 0");
			hw.enabled[s] = true;
		}
		if (hw.enabled[s] && !on) {
			if (hw.disable_reads) {
				st->cr |= DMA_SXCR_EN; /* still finishing its last beat */
				hw.pending_off[s] = hw.disable_reads;
			} else {
				hw.enabled[s] = false;
			}
		}
		return;
	}
	if (reg == &st->ndtr) {
		if (value == 0 || value > DMA_SXNDTR_MAX)
			violation("NDTR outside 1..65535");
		if (value > hw.max_ndtr)
			hw.max_ndtr = value;
	}
	if (!hw.enabled[s])
		return;
	/* Enabled: only double-buffer address updates of the idle target. */
	bool dbm = st->cr & DMA_SXCR_DBM, ct = st->cr & DMA_SXCR_CT;
	if (dbm && reg == &st->m0ar && ct)
		return;
	if (dbm && reg == &st->m1ar && !ct)
		return;
	violation("stream register written while enabled (or the memory target in use)");
}

void stm32_adapter_trace_write(volatile uint32_t *reg, uint32_t value)
{
	if (trace_len < LOG_MAX)
		trace[trace_len++] = (struct access){ 'w', reg, value };
	if (reg == &dma2.lifcr || reg == &dma2.hifcr) {
		volatile uint32_t *isr = reg == &dma2.lifcr ? &dma2.lisr : &dma2.hisr;
		*isr &= ~value;
		*reg = 0;
		return;
	}
	for (uint32_t s = 0; s < STM32_DMA_STREAMS; s++) {
		volatile uint32_t *first = &dma2.stream[s].cr, *last = &dma2.stream[s].fcr;
		if (reg >= first && reg <= last) {
			dma_write(s, reg, value);
			return;
		}
	}
	if (reg == &spi.cr1 && !(value & SPI_CR1_SPE) && hw.spi_busy_reads)
		violation("SPI disabled while still busy");
	if (reg == &dcmi.icr)
		*reg = 0;
	/* An immediate reload happens at once; one at vertical blanking waits
	 * until a test says the blanking came. */
	if (reg == &ltdc.srcr && value == LTDC_SRCR_IMR)
		*reg = 0;
}

void stm32_adapter_trace_read(const volatile uint32_t *reg)
{
	for (uint32_t s = 0; s < STM32_DMA_STREAMS; s++) {
		if (reg == &dma2.stream[s].cr && hw.pending_off[s] && --hw.pending_off[s] == 0) {
			dma2.stream[s].cr &= ~DMA_SXCR_EN;
			hw.enabled[s] = false;
		}
	}
	if (reg == &spi.dr && hw.spi_rx_frames)
		hw.spi_rx_frames--;
	if (reg == &spi.sr) {
		uint32_t level = hw.spi_rx_frames > 3 ? 3 : hw.spi_rx_frames;
		spi.sr = (spi.sr & ~(SPI_SR_BSY | SPI_SR_FRLVL_MASK)) | (level << 9);
		if (hw.spi_busy_reads) {
			hw.spi_busy_reads--;
			spi.sr |= SPI_SR_BSY;
		}
	}
	/* Logged after the hardware moved: the value the adapter gets. */
	if (trace_len < LOG_MAX)
		trace[trace_len++] = (struct access){ 'r', reg, *reg };
}

/* The stream finished a transfer: TCIF set; in normal mode EN drops, in
 * double-buffer mode the memory target switches (CT toggles). */
static void hardware_transfer_complete(uint32_t s)
{
	volatile struct stm32_dma_stream_regs *st = &dma2.stream[s];
	*stream_isr(s) |= STM32_DMA_TCIF << stream_flags_shift(s);
	if (st->cr & DMA_SXCR_DBM) {
		st->cr ^= DMA_SXCR_CT;
	} else {
		st->cr &= ~DMA_SXCR_EN;
		hw.enabled[s] = false;
	}
}

/* Index of the first write to @reg at or after @from whose value has all of
 * @bits (@set) or none of them (!@set); trace_len if there is none. */
static uint32_t find_write(const volatile uint32_t *reg, uint32_t bits, bool set, uint32_t from)
{
	for (uint32_t i = from; i < trace_len; i++) {
		if (trace[i].kind != 'w' || trace[i].reg != reg)
			continue;
		uint32_t has = trace[i].value & bits;
		if (set ? has == bits : has == 0)
			return i;
	}
	return trace_len;
}

static uint32_t count_writes(void)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < trace_len; i++)
		n += trace[i].kind == 'w';
	return n;
}

#define SDRAM 0xC0000000u
#define SRAM1 0x20020000u

/* ---- DMA stream helpers ---------------------------------------------------- */

static void equal_split_finds_the_fewest_equal_transfers(void)
{
	struct stm32_dma_split s;
	/* VGA RGB565 in words, with the "dcmi" device's 262140-byte segments. */
	UNIT_EQ(stm32_dma_split_equal(640 * 480 * 2, 4, 65535u * 4u, &s), 0);
	UNIT_EQ(s.chunks, 3);
	UNIT_EQ(s.chunk_items, 51200);
	/* Fits one transfer. */
	UNIT_EQ(stm32_dma_split_equal(320 * 240 * 2, 4, 65535u * 4u, &s), 0);
	UNIT_EQ(s.chunks, 1);
	UNIT_EQ(s.chunk_items, 38400);
	/* The segment size limits below the NDTR limit. */
	UNIT_EQ(stm32_dma_split_equal(8192, 4, 4096, &s), 0);
	UNIT_EQ(s.chunks, 2);
	UNIT_EQ(s.chunk_items, 1024);
	/* 65537 words is prime: no equal split of at most 65535. */
	UNIT_EQ(stm32_dma_split_equal(65537u * 4u, 4, 65535u * 4u, &s), DMABUF_EINVAL);
	UNIT_EQ(stm32_dma_split_equal(10, 4, 65535u * 4u, &s), DMABUF_EINVAL);
	UNIT_EQ(stm32_dma_split_equal(16, 4, 2, &s), DMABUF_EINVAL);
}

static void stop_waits_until_the_stream_reads_disabled(void)
{
	fake_reset();
	struct stm32_dma_stream st = { &dma2, 3, 3, 1 };
	dma2.stream[3].ndtr = 10;
	dma2.stream[3].cr = DMA_SXCR_EN;
	hw.enabled[3] = true;
	hw.disable_reads = 3;
	dma2.lisr = STM32_DMA_TCIF << 22;
	UNIT_EQ(stm32_dma_stop(&st), 0);
	UNIT_EQ(dma2.stream[3].cr & DMA_SXCR_EN, 0);
	UNIT_EQ(hw.enabled[3], false);
	UNIT_EQ(dma2.lisr, 0); /* flags cleared for the next transfer */
	/* The flag clear came after EN read back 0. */
	uint32_t clear = find_write(&dma2.lifcr, STM32_DMA_TCIF << 22, true, 0);
	UNIT_ASSERT(clear < trace_len);
	UNIT_EQ(trace[clear - 1].kind, 'r');
	UNIT_EQ(trace[clear - 1].value & DMA_SXCR_EN, 0);
}

static void take_flags_normalises_and_clears_each_stream(void)
{
	fake_reset();
	for (uint8_t s = 0; s < STM32_DMA_STREAMS; s++) {
		struct stm32_dma_stream st = { &dma2, s, 0, 0 };
		*stream_isr(s) = (STM32_DMA_TCIF | STM32_DMA_TEIF) << stream_flags_shift(s);
		UNIT_EQ(stm32_dma_take_flags(&st), STM32_DMA_TCIF | STM32_DMA_TEIF);
		UNIT_EQ(*stream_isr(s), 0);
	}
}

/* ---- SPI transmit ----------------------------------------------------------- */

static struct stm32_spi_tx spi_tx(uint32_t frame_bytes)
{
	struct stm32_spi_tx tx = {
		.spi = &spi,
		.dma = { &dma2, 3, 3, 2 }, /* SPI1_TX: DMA2 stream 3, channel 3 */
		.frame_bytes = frame_bytes,
		.report = { count_report, NULL },
	};
	return tx;
}

struct part {
	uint32_t addr;
	uint32_t ndtr;
};

/* Run a transmission to its end, recording each part the stream was armed
 * with; returns the number of parts (0 on a failure, which the test sees). */
static uint32_t run_spi(struct stm32_spi_tx *tx, struct part *parts, uint32_t max_parts)
{
	uint32_t n = 0;
	volatile struct stm32_dma_stream_regs *st = &dma2.stream[3];
	for (;;) {
		if (n == max_parts)
			return 0;
		parts[n++] = (struct part){ st->m0ar, st->ndtr };
		hardware_transfer_complete(3);
		int r = stm32_spi_tx_on_dma(tx, stm32_dma_take_flags(&tx->dma));
		if (r == STM32_TRANSFER_DONE)
			return n;
		if (r != STM32_TRANSFER_RUNNING)
			return 0;
	}
}

static void spi_sends_each_65535_byte_segment_as_one_transfer(void)
{
	fake_reset();
	struct stm32_spi_tx tx = spi_tx(1);
	struct dmabuf_mapping m = adapter_mapping(SRAM1, 200000, 65535, DMABUF_TO_DEVICE);
	UNIT_EQ(stm32_spi_tx_start(&tx, &m), 0);
	UNIT_EQ(dma2.stream[3].par, stm32_bus_address(&spi.dr));
	struct part parts[8];
	UNIT_EQ(run_spi(&tx, parts, 8), 4);
	uint32_t sent = 0;
	for (uint32_t i = 0; i < 4; i++) {
		UNIT_EQ(parts[i].addr, SRAM1 + sent);
		sent += parts[i].ndtr;
	}
	UNIT_EQ(parts[0].ndtr, 65535);
	UNIT_EQ(parts[3].ndtr, 200000 - 3 * 65535);
	UNIT_EQ(sent, 200000);
	UNIT_EQ(hw.max_ndtr, 65535);
	UNIT_EQ(hw.violations, 0);
	UNIT_EQ(tx.busy, false);
}

static void spi_cuts_a_long_segment_at_65535_items(void)
{
	fake_reset();
	struct stm32_spi_tx tx = spi_tx(2);
	/* One 300000-byte segment of 16-bit frames: 150000 items. */
	struct dmabuf_mapping m = adapter_mapping(SDRAM, 300000, 300000, DMABUF_TO_DEVICE);
	UNIT_EQ(stm32_spi_tx_start(&tx, &m), 0);
	struct part parts[8];
	UNIT_EQ(run_spi(&tx, parts, 8), 3);
	UNIT_EQ(parts[0].ndtr, 65535);
	UNIT_EQ(parts[1].addr, SDRAM + 2 * 65535);
	UNIT_EQ(parts[2].ndtr, 150000 - 2 * 65535);
	UNIT_EQ(hw.max_ndtr, 65535);
	/* Half-word items on both sides. */
	uint32_t cr = find_write(&dma2.stream[3].cr, DMA_SXCR_EN, true, 0);
	UNIT_ASSERT(cr < trace_len);
	UNIT_EQ((trace[cr].value >> DMA_SXCR_PSIZE_SHIFT) & 3, DMA_SXCR_SIZE_HALF);
	UNIT_EQ((trace[cr].value >> DMA_SXCR_MSIZE_SHIFT) & 3, DMA_SXCR_SIZE_HALF);
	UNIT_EQ(trace[cr].value & DMA_SXCR_DIR_MASK, DMA_SXCR_DIR_M2P);
	UNIT_EQ(hw.violations, 0);
}

static void spi_enables_stream_then_txdmaen_then_spe(void)
{
	fake_reset();
	struct stm32_spi_tx tx = spi_tx(1);
	struct dmabuf_mapping m = adapter_mapping(SRAM1, 1000, 65535, DMABUF_TO_DEVICE);
	UNIT_EQ(stm32_spi_tx_start(&tx, &m), 0);
	uint32_t stream_on = find_write(&dma2.stream[3].cr, DMA_SXCR_EN, true, 0);
	uint32_t txdmaen = find_write(&spi.cr2, SPI_CR2_TXDMAEN, true, 0);
	uint32_t spe = find_write(&spi.cr1, SPI_CR1_SPE, true, 0);
	UNIT_ASSERT(stream_on < txdmaen);
	UNIT_ASSERT(txdmaen < spe);
	UNIT_ASSERT(spe < trace_len);
	UNIT_EQ(hw.violations, 0);
}

static void spi_closes_after_bsy_then_drains_rx_then_clears_txdmaen(void)
{
	fake_reset();
	struct stm32_spi_tx tx = spi_tx(1);
	struct dmabuf_mapping m = adapter_mapping(SRAM1, 1000, 65535, DMABUF_TO_DEVICE);
	UNIT_EQ(stm32_spi_tx_start(&tx, &m), 0);
	uint32_t started = trace_len;
	hw.spi_busy_reads = 4; /* still shifting the last bytes out */
	hw.spi_rx_frames = 3;  /* full duplex: bytes clocked in meanwhile */
	hardware_transfer_complete(3);
	UNIT_EQ(stm32_spi_tx_on_dma(&tx, stm32_dma_take_flags(&tx.dma)), STM32_TRANSFER_DONE);
	uint32_t spe_off = find_write(&spi.cr1, SPI_CR1_SPE, false, started);
	uint32_t txdmaen_off = find_write(&spi.cr2, SPI_CR2_TXDMAEN, false, started);
	UNIT_ASSERT(spe_off < txdmaen_off);
	UNIT_ASSERT(txdmaen_off < trace_len);
	UNIT_EQ(hw.spi_busy_reads, 0);
	UNIT_EQ(hw.spi_rx_frames, 0);
	UNIT_EQ(spi.cr1 & SPI_CR1_SPE, 0);
	UNIT_EQ(spi.cr2 & SPI_CR2_TXDMAEN, 0);
	UNIT_EQ(hw.violations, 0); /* SPE never dropped while BSY read 1 */
}

static void spi_stream_error_closes_with_eio(void)
{
	fake_reset();
	struct stm32_spi_tx tx = spi_tx(1);
	struct dmabuf_mapping m = adapter_mapping(SRAM1, 100000, 65535, DMABUF_TO_DEVICE);
	UNIT_EQ(stm32_spi_tx_start(&tx, &m), 0);
	dma2.lisr |= STM32_DMA_TEIF << 22;
	UNIT_EQ(stm32_spi_tx_on_dma(&tx, stm32_dma_take_flags(&tx.dma)), DMABUF_EIO);
	UNIT_EQ(tx.busy, false);
	UNIT_EQ(dma2.stream[3].cr & DMA_SXCR_EN, 0);
	UNIT_EQ(spi.cr1 & SPI_CR1_SPE, 0);
	UNIT_EQ(spi.cr2 & SPI_CR2_TXDMAEN, 0);
	UNIT_EQ(stm32_spi_tx_on_dma(&tx, STM32_DMA_TCIF), DMABUF_EPERM);
}

static void spi_start_waits_for_a_stream_still_running(void)
{
	fake_reset();
	struct stm32_spi_tx tx = spi_tx(1);
	dma2.stream[3].cr = DMA_SXCR_EN;
	dma2.stream[3].ndtr = 5;
	hw.enabled[3] = true;
	hw.disable_reads = 5;
	struct dmabuf_mapping m = adapter_mapping(SRAM1, 1000, 65535, DMABUF_TO_DEVICE);
	UNIT_EQ(stm32_spi_tx_start(&tx, &m), 0);
	UNIT_EQ(hw.violations, 0); /* nothing programmed before EN read 0 */
	UNIT_EQ(stm32_spi_tx_start(&tx, &m), DMABUF_EBUSY);
}

/* A refused start returns its error, reports once and writes no register. */
static void expect_spi_refused(struct stm32_spi_tx *tx, const struct dmabuf_mapping *m, int want)
{
	fake_reset();
	UNIT_EQ(stm32_spi_tx_start(tx, m), want);
	UNIT_EQ(count_writes(), 0);
#if defined(DMABUF_DEBUG)
	UNIT_EQ(reports, 1);
#endif
}

static void spi_refuses_mappings_it_cannot_send(void)
{
	struct stm32_spi_tx tx8 = spi_tx(1), tx16 = spi_tx(2);
	struct dmabuf_mapping from_device = adapter_mapping(SRAM1, 1000, 65535, DMABUF_FROM_DEVICE);
	expect_spi_refused(&tx8, &from_device, DMABUF_EINVAL);
	UNIT_CHECK_HELPER();
	/* 65535-byte segments would split a 16-bit frame across transfers. */
	struct dmabuf_mapping odd_segments = adapter_mapping(SRAM1, 200000, 65535, DMABUF_TO_DEVICE);
	expect_spi_refused(&tx16, &odd_segments, DMABUF_EINVAL);
	UNIT_CHECK_HELPER();
	struct dmabuf_mapping odd_length = adapter_mapping(SRAM1, 1001, 65534, DMABUF_TO_DEVICE);
	expect_spi_refused(&tx16, &odd_length, DMABUF_EINVAL);
	UNIT_CHECK_HELPER();
	struct stm32_spi_tx bad_stream = spi_tx(1);
	bad_stream.dma.stream = 8;
	struct dmabuf_mapping ok = adapter_mapping(SRAM1, 1000, 65535, DMABUF_TO_DEVICE);
	expect_spi_refused(&bad_stream, &ok, DMABUF_EINVAL);
	UNIT_CHECK_HELPER();
	struct stm32_spi_tx bad_frame = spi_tx(3);
	expect_spi_refused(&bad_frame, &ok, DMABUF_EINVAL);
}

/* ---- DCMI capture ----------------------------------------------------------- */

static struct stm32_dcmi_capture dcmi_capture(void)
{
	struct stm32_dcmi_capture cap = {
		.dcmi = &dcmi,
		.dma = { &dma2, 1, 1, 3 }, /* DCMI: DMA2 stream 1, channel 1 */
		.dcmi_cr = 1u << 5,        /* PCKPOL, as a camera might need */
		.report = { count_report, NULL },
	};
	return cap;
}

static void dcmi_vga_frame_runs_three_equal_double_buffered_transfers(void)
{
	fake_reset();
	struct stm32_dcmi_capture cap = dcmi_capture();
	/* As mapped for the board's "dcmi" device: 262140-byte segments. */
	struct dmabuf_mapping m = adapter_mapping(SDRAM, 640 * 480 * 2, 65535u * 4u, DMABUF_FROM_DEVICE);
	UNIT_EQ(stm32_dcmi_capture_start(&cap, &m), 0);

	volatile struct stm32_dma_stream_regs *st = &dma2.stream[1];
	UNIT_EQ(st->par, stm32_bus_address(&dcmi.dr));
	UNIT_EQ(st->m0ar, SDRAM);
	UNIT_EQ(st->m1ar, SDRAM + 204800);
	UNIT_EQ(st->ndtr, 51200);
	UNIT_ASSERT(st->cr & DMA_SXCR_DBM);
	UNIT_ASSERT(st->cr & DMA_SXCR_EN);
	UNIT_EQ(st->cr & DMA_SXCR_DIR_MASK, DMA_SXCR_DIR_P2M);
	UNIT_EQ((st->cr >> DMA_SXCR_PSIZE_SHIFT) & 3, DMA_SXCR_SIZE_WORD);
	UNIT_EQ((st->cr >> DMA_SXCR_MSIZE_SHIFT) & 3, DMA_SXCR_SIZE_WORD);
	UNIT_EQ((st->cr >> DMA_SXCR_CHSEL_SHIFT) & 0xF, 1);
	UNIT_EQ(st->fcr, DMA_SXFCR_DMDIS | DMA_SXFCR_FTH_FULL);

	/* Part 0 done: the stream now fills part 1 (CT = 1); part 2 goes to M0AR. */
	hardware_transfer_complete(1);
	UNIT_EQ(stm32_dcmi_capture_on_dma(&cap, stm32_dma_take_flags(&cap.dma)), STM32_TRANSFER_RUNNING);
	UNIT_EQ(st->m0ar, SDRAM + 409600);
	UNIT_EQ(st->m1ar, SDRAM + 204800);
	/* Part 1 done: nothing left to point anywhere. */
	uint32_t before = count_writes();
	hardware_transfer_complete(1);
	UNIT_EQ(stm32_dcmi_capture_on_dma(&cap, stm32_dma_take_flags(&cap.dma)), STM32_TRANSFER_RUNNING);
	UNIT_EQ(count_writes(), before + 1); /* only the flag clear */
	/* Part 2 done: the frame is complete, stream stopped, DCMI off. */
	hardware_transfer_complete(1);
	UNIT_EQ(stm32_dcmi_capture_on_dma(&cap, stm32_dma_take_flags(&cap.dma)), STM32_TRANSFER_DONE);
	UNIT_EQ(st->cr & DMA_SXCR_EN, 0);
	UNIT_EQ(dcmi.cr & (DCMI_CR_ENABLE | DCMI_CR_CAPTURE), 0);
	UNIT_EQ(hw.max_ndtr, 51200);
	UNIT_EQ(hw.violations, 0);
}

static void dcmi_arms_the_stream_before_enabling_the_camera(void)
{
	fake_reset();
	struct stm32_dcmi_capture cap = dcmi_capture();
	struct dmabuf_mapping m = adapter_mapping(SRAM1, 320 * 240 * 2, 65535u * 4u, DMABUF_FROM_DEVICE);
	UNIT_EQ(stm32_dcmi_capture_start(&cap, &m), 0);
	uint32_t stream_on = find_write(&dma2.stream[1].cr, DMA_SXCR_EN, true, 0);
	uint32_t enable = find_write(&dcmi.cr, DCMI_CR_ENABLE, true, 0);
	uint32_t capture = find_write(&dcmi.cr, DCMI_CR_CAPTURE, true, 0);
	UNIT_ASSERT(stream_on < enable);
	UNIT_ASSERT(enable < capture);
	UNIT_ASSERT(capture < trace_len);
	/* Snapshot mode, the caller's format bits kept. */
	UNIT_EQ(dcmi.cr, (1u << 5) | DCMI_CR_CM_SNAPSHOT | DCMI_CR_ENABLE | DCMI_CR_CAPTURE);
	/* One transfer: no double-buffer mode, one event completes it. */
	UNIT_EQ(dma2.stream[1].cr & DMA_SXCR_DBM, 0);
	UNIT_EQ(dma2.stream[1].ndtr, 38400);
	hardware_transfer_complete(1);
	UNIT_EQ(stm32_dcmi_capture_on_dma(&cap, stm32_dma_take_flags(&cap.dma)), STM32_TRANSFER_DONE);
	UNIT_EQ(hw.violations, 0);
}

static void dcmi_transfer_error_stops_with_eio(void)
{
	fake_reset();
	struct stm32_dcmi_capture cap = dcmi_capture();
	struct dmabuf_mapping m = adapter_mapping(SDRAM, 640 * 480 * 2, 65535u * 4u, DMABUF_FROM_DEVICE);
	UNIT_EQ(stm32_dcmi_capture_start(&cap, &m), 0);
	UNIT_EQ(stm32_dcmi_capture_on_dma(&cap, STM32_DMA_TEIF), DMABUF_EIO);
	UNIT_EQ(dma2.stream[1].cr & DMA_SXCR_EN, 0);
	UNIT_EQ(dcmi.cr & DCMI_CR_ENABLE, 0);
	UNIT_EQ(stm32_dcmi_capture_on_dma(&cap, STM32_DMA_TCIF), DMABUF_EPERM);
}

static void expect_dcmi_refused(struct stm32_dcmi_capture *cap, const struct dmabuf_mapping *m, int want)
{
	fake_reset();
	UNIT_EQ(stm32_dcmi_capture_start(cap, m), want);
	UNIT_EQ(count_writes(), 0);
#if defined(DMABUF_DEBUG)
	UNIT_EQ(reports, 1);
#endif
}

static void dcmi_refuses_frames_it_cannot_capture(void)
{
	struct stm32_dcmi_capture cap = dcmi_capture();
	struct dmabuf_mapping prime = adapter_mapping(SDRAM, 65537u * 4u, 65535u * 4u, DMABUF_FROM_DEVICE);
	expect_dcmi_refused(&cap, &prime, DMABUF_EINVAL);
	UNIT_CHECK_HELPER();
	struct dmabuf_mapping unaligned = adapter_mapping(SDRAM + 2, 4096, 65535u * 4u, DMABUF_FROM_DEVICE);
	expect_dcmi_refused(&cap, &unaligned, DMABUF_EINVAL);
	UNIT_CHECK_HELPER();
	struct dmabuf_mapping to_device = adapter_mapping(SDRAM, 4096, 65535u * 4u, DMABUF_TO_DEVICE);
	expect_dcmi_refused(&cap, &to_device, DMABUF_EINVAL);
	UNIT_CHECK_HELPER();
	struct dmabuf_mapping ok = adapter_mapping(SDRAM, 4096, 65535u * 4u, DMABUF_FROM_DEVICE);
	struct stm32_dcmi_capture owns_enable = dcmi_capture();
	owns_enable.dcmi_cr |= DCMI_CR_ENABLE;
	expect_dcmi_refused(&owns_enable, &ok, DMABUF_EINVAL);
	UNIT_CHECK_HELPER();
	fake_reset();
	UNIT_EQ(stm32_dcmi_capture_start(&cap, &ok), 0);
	uint32_t writes = count_writes();
	UNIT_EQ(stm32_dcmi_capture_start(&cap, &ok), DMABUF_EBUSY);
	UNIT_EQ(count_writes(), writes);
}

/* ---- LTDC ------------------------------------------------------------------- */

static const struct stm32_ltdc_frame wvga565 = { 800, 480, 2, 1600 };

static void ltdc_writes_address_geometry_then_reload(void)
{
	fake_reset();
	struct dmabuf_mapping m = adapter_mapping(SDRAM + 0x40000, 800 * 480 * 2, 0xFFFFFFFFu, DMABUF_TO_DEVICE);
	struct dmabuf_adapter_report report = { count_report, NULL };
	UNIT_EQ(stm32_ltdc_layer_show(&ltdc, 1, &wvga565, &m, LTDC_SRCR_VBR, &report), 0);
	UNIT_EQ(ltdc.layer[1].cfbar, SDRAM + 0x40000);
	UNIT_EQ(ltdc.layer[1].cfblr, (1600u << 16) | (1600u + 3u));
	UNIT_EQ(ltdc.layer[1].cfblnr, 480);
	UNIT_EQ(ltdc.layer[0].cfbar, 0);
	UNIT_EQ(ltdc.srcr, LTDC_SRCR_VBR);
	/* The reload request is the last write: the shadow set is complete. */
	UNIT_EQ(trace[trace_len - 1].kind, 'w');
	UNIT_ASSERT(trace[trace_len - 1].reg == &ltdc.srcr);
	UNIT_EQ(stm32_ltdc_reload_pending(&ltdc), true);
}

static void ltdc_refuses_while_the_previous_reload_is_pending(void)
{
	fake_reset();
	struct dmabuf_mapping m = adapter_mapping(SDRAM, 800 * 480 * 2, 0xFFFFFFFFu, DMABUF_TO_DEVICE);
	ltdc.srcr = LTDC_SRCR_VBR;
	UNIT_EQ(stm32_ltdc_layer_show(&ltdc, 0, &wvga565, &m, LTDC_SRCR_VBR, NULL), DMABUF_EBUSY);
	UNIT_EQ(count_writes(), 0);
	ltdc.srcr = 0; /* vertical blanking came */
	UNIT_EQ(stm32_ltdc_reload_pending(&ltdc), false);
	UNIT_EQ(stm32_ltdc_layer_show(&ltdc, 0, &wvga565, &m, LTDC_SRCR_VBR, NULL), 0);
}

static void expect_ltdc_refused(const struct stm32_ltdc_frame *f, const struct dmabuf_mapping *m, uint32_t layer)
{
	fake_reset();
	struct dmabuf_adapter_report report = { count_report, NULL };
	UNIT_EQ(stm32_ltdc_layer_show(&ltdc, layer, f, m, LTDC_SRCR_VBR, &report), DMABUF_EINVAL);
	UNIT_EQ(count_writes(), 0);
#if defined(DMABUF_DEBUG)
	UNIT_EQ(reports, 1);
#endif
}

static void ltdc_refuses_frames_the_layer_cannot_scan(void)
{
	struct dmabuf_mapping m = adapter_mapping(SDRAM, 8u << 20, 0xFFFFFFFFu, DMABUF_TO_DEVICE);
	struct dmabuf_mapping short_buffer = adapter_mapping(SDRAM, 800 * 480 * 2 - 1, 0xFFFFFFFFu, DMABUF_TO_DEVICE);
	expect_ltdc_refused(&wvga565, &short_buffer, 0);
	UNIT_CHECK_HELPER();
	struct dmabuf_mapping from_device = adapter_mapping(SDRAM, 8u << 20, 0xFFFFFFFFu, DMABUF_FROM_DEVICE);
	expect_ltdc_refused(&wvga565, &from_device, 0);
	UNIT_CHECK_HELPER();
	struct stm32_ltdc_frame long_line = { 2048, 10, 4, 8192 }; /* 8192 + 3 > CFBLL */
	expect_ltdc_refused(&long_line, &m, 0);
	UNIT_CHECK_HELPER();
	struct stm32_ltdc_frame tall = { 100, 2048, 2, 200 };
	expect_ltdc_refused(&tall, &m, 0);
	UNIT_CHECK_HELPER();
	struct stm32_ltdc_frame narrow_pitch = { 800, 480, 2, 1599 };
	expect_ltdc_refused(&narrow_pitch, &m, 0);
	UNIT_CHECK_HELPER();
	expect_ltdc_refused(&wvga565, &m, 2);
}

static const struct stm32_ltdc_frame qvga565 = { 320, 240, 2, 640 };

static void ltdc_setup_puts_the_window_in_the_active_area_and_enables_with_the_first_frame(void)
{
	fake_reset();
	ltdc.layer[1].cr = LTDC_LXCR_LEN; /* left on by an earlier owner */
	struct dmabuf_adapter_report report = { count_report, NULL };
	UNIT_EQ(stm32_ltdc_layer_setup(&ltdc, 1, &qvga565, &report), 0);
	UNIT_EQ(ltdc.layer[1].whpcr, (355u << 16) | 36u);
	UNIT_EQ(ltdc.layer[1].wvpcr, (255u << 16) | 16u);
	UNIT_EQ(ltdc.layer[1].pfcr, 2);
	UNIT_EQ(ltdc.layer[1].cacr, 255);
	UNIT_EQ(ltdc.layer[1].bfcr, 0x405);
	UNIT_EQ(ltdc.layer[1].cfblr, (640u << 16) | (640u + 3u));
	UNIT_EQ(ltdc.layer[1].cfblnr, 240);
	UNIT_EQ(ltdc.layer[1].cr & LTDC_LXCR_LEN, 0); /* off until it has a frame */
	UNIT_EQ(ltdc.layer[0].whpcr, 0);
	UNIT_EQ(ltdc.layer[0].pfcr, 0);
	/* Reloaded at once, as the last write. */
	UNIT_ASSERT(trace[trace_len - 1].reg == &ltdc.srcr);
	UNIT_EQ(trace[trace_len - 1].value, LTDC_SRCR_IMR);
	UNIT_EQ(reports, 0);

	struct dmabuf_mapping m = adapter_mapping(SDRAM, 320 * 240 * 2, 0xFFFFFFFFu, DMABUF_TO_DEVICE);
	UNIT_EQ(stm32_ltdc_layer_show(&ltdc, 1, &qvga565, &m, LTDC_SRCR_VBR, &report), 0);
	UNIT_EQ(ltdc.layer[1].cr & LTDC_LXCR_LEN, LTDC_LXCR_LEN);
	UNIT_EQ(ltdc.layer[1].cfbar, SDRAM);
	UNIT_ASSERT(find_write(&ltdc.layer[1].cr, LTDC_LXCR_LEN, true, 0) < find_write(&ltdc.srcr, LTDC_SRCR_VBR, true, 0));
}

static void expect_ltdc_setup_refused(const struct stm32_ltdc_frame *f, uint32_t layer, int err)
{
	uint32_t writes = count_writes();
	uint32_t before = reports;
	UNIT_EQ(stm32_ltdc_layer_setup(&ltdc, layer, f, &(struct dmabuf_adapter_report){ count_report, NULL }), err);
	UNIT_EQ(count_writes(), writes);
#if defined(DMABUF_DEBUG)
	UNIT_EQ(reports, before + 1);
#else
	(void)before;
#endif
}

static void ltdc_setup_refuses_frames_outside_the_active_area_and_other_pixels(void)
{
	fake_reset();
	struct stm32_ltdc_frame too_wide = { 801, 240, 2, 1602 };
	expect_ltdc_setup_refused(&too_wide, 1, DMABUF_EDOM);
	UNIT_CHECK_HELPER();
	struct stm32_ltdc_frame too_tall = { 320, 481, 2, 640 };
	expect_ltdc_setup_refused(&too_tall, 1, DMABUF_EDOM);
	UNIT_CHECK_HELPER();
	struct stm32_ltdc_frame rgb888 = { 320, 240, 3, 960 };
	expect_ltdc_setup_refused(&rgb888, 1, DMABUF_EINVAL);
	UNIT_CHECK_HELPER();
	expect_ltdc_setup_refused(&qvga565, 2, DMABUF_EINVAL);
	UNIT_CHECK_HELPER();
	/* The whole panel fits exactly. */
	UNIT_EQ(stm32_ltdc_layer_setup(&ltdc, 1, &wvga565, NULL), 0);
	UNIT_EQ(ltdc.layer[1].whpcr, (835u << 16) | 36u);
	UNIT_EQ(ltdc.layer[1].wvpcr, (495u << 16) | 16u);
	/* Before anyone programmed the timing there is no active area. */
	fake_reset();
	ltdc.bpcr = ltdc.awcr = 0;
	expect_ltdc_setup_refused(&qvga565, 1, DMABUF_EDOM);
}

/* ---- with mappings the core makes for the STM32F769I-DISCO devices ---------- */

/*
 * The board's real device descriptions (dma2, dcmi, ltdc, with their
 * windows, alignments and segment limits) over 2 MB of host memory standing
 * at the SDRAM's bus address.
 */
struct disco {
	struct dmabuf_region_desc region;
	struct dmabuf_board board;
	void *memory;
	void *storage;
	struct dmabuf_ctx *ctx;
	dmabuf_handle_t buffer, attachment;
	struct dmabuf_mapping m;
};

static int disco_open(struct disco *d, const char *device, uint32_t size, enum dmabuf_direction dir)
{
	const struct dmabuf_board *real = dmabuf_board_find("stm32f769i-disco");
	if (!real)
		return -1;
	memset(d, 0, sizeof(*d));
	d->region = (struct dmabuf_region_desc){ "sdram", SDRAM, 2u << 20, DMABUF_REGION_CACHEABLE, 32 };
	d->board = *real;
	d->board.regions = &d->region;
	d->board.region_count = 1;
	d->memory = aligned_alloc(32, d->region.size);
	void *region_memory[1] = { d->memory };
	struct dmabuf_config config = {
		.board = &d->board,
		.region_memory = region_memory,
		.cache = &dmabuf_cache_none,
		.max_buffers = 4,
		.max_attachments = 4,
	};
	size_t need = dmabuf_storage_size(&config);
	d->storage = aligned_alloc(8, (need + 7) / 8 * 8);
	int err = dmabuf_init(&d->ctx, d->storage, need, &config);
	if (!err)
		err = dmabuf_export(d->ctx, size, device, 0, &d->buffer);
	if (!err)
		err = dmabuf_attach(d->ctx, d->buffer, dmabuf_device_find(d->ctx, device), &d->attachment);
	if (!err)
		err = dmabuf_map(d->ctx, d->attachment, dir, &d->m);
	return err;
}

static void disco_close(struct disco *d, enum dmabuf_direction dir)
{
	if (d->ctx) {
		dmabuf_unmap(d->ctx, d->attachment, &d->m, dir);
		dmabuf_detach(d->ctx, d->attachment);
		dmabuf_put(d->ctx, d->buffer);
		dmabuf_deinit(d->ctx);
	}
	free(d->storage);
	free(d->memory);
}

static void core_mapping_for_dcmi_captures_a_vga_frame(void)
{
	struct disco d;
	int err = disco_open(&d, "dcmi", 640 * 480 * 2, DMABUF_FROM_DEVICE);
	fake_reset();
	struct stm32_dcmi_capture cap = dcmi_capture();
	int start = err ? err : stm32_dcmi_capture_start(&cap, &d.m);
	int results[3] = { -1, -1, -1 };
	for (int i = 0; !start && i < 3; i++) {
		hardware_transfer_complete(1);
		results[i] = stm32_dcmi_capture_on_dma(&cap, stm32_dma_take_flags(&cap.dma));
	}
	disco_close(&d, DMABUF_FROM_DEVICE);
	UNIT_EQ(err, 0);
	UNIT_EQ(start, 0);
	UNIT_EQ(results[2], STM32_TRANSFER_DONE);
	UNIT_EQ(cap.chunks * cap.chunk_bytes, 640 * 480 * 2);
	UNIT_ASSERT(cap.chunk_bytes <= d.m.segment_bytes);
	UNIT_EQ(cap.base, d.m.dma_addr);
	UNIT_EQ(hw.max_ndtr <= DMA_SXNDTR_MAX, 1);
	UNIT_EQ(hw.violations, 0);
}

static void core_mapping_for_dma2_goes_out_over_spi(void)
{
	struct disco d;
	int err = disco_open(&d, "dma2", 200000, DMABUF_TO_DEVICE);
	fake_reset();
	struct stm32_spi_tx tx = spi_tx(1);
	int start = err ? err : stm32_spi_tx_start(&tx, &d.m);
	struct part parts[8];
	uint32_t n = start ? 0 : run_spi(&tx, parts, 8);
	uint32_t sent = 0;
	bool contiguous = true;
	for (uint32_t i = 0; i < n; i++) {
		contiguous &= parts[i].addr == d.m.dma_addr + sent;
		sent += parts[i].ndtr;
	}
	uint32_t segments = d.m.segment_count;
	disco_close(&d, DMABUF_TO_DEVICE);
	UNIT_EQ(err, 0);
	UNIT_EQ(start, 0);
	UNIT_EQ(n, segments);
	UNIT_EQ(sent, 200000);
	UNIT_ASSERT(contiguous);
	UNIT_EQ(hw.max_ndtr, 65535);
	UNIT_EQ(hw.violations, 0);
}

static void core_mapping_for_ltdc_is_shown_by_a_layer(void)
{
	struct disco d;
	int err = disco_open(&d, "ltdc", 800 * 480 * 2, DMABUF_TO_DEVICE);
	fake_reset();
	int shown = err ? err : stm32_ltdc_layer_show(&ltdc, 0, &wvga565, &d.m, LTDC_SRCR_VBR, NULL);
	dmabuf_addr_t addr = d.m.dma_addr;
	uint32_t segments = d.m.segment_count;
	disco_close(&d, DMABUF_TO_DEVICE);
	UNIT_EQ(err, 0);
	UNIT_EQ(shown, 0);
	UNIT_EQ(segments, 1);
	UNIT_EQ(ltdc.layer[0].cfbar, addr);
}

/* ---- behind the peripheral contract (stm32_peripherals.c) -------------------- */

static _Alignas(8) uint8_t contract_fence_storage[4096];

/* A fence pool and a registry with @peripheral in it, configured for @format. */
static struct dmabuf_fence_pool *contract_setup(struct dmabuf_peripheral *peripheral,
						struct dmabuf_peripheral_job *job, const struct dmabuf_frame_format *format)
{
	static struct dmabuf_peripheral_registry registry;
	struct dmabuf_fence_pool *pool;
	fake_reset();
	registry = (struct dmabuf_peripheral_registry){ 0 };
	if (dmabuf_fence_pool_init(&pool, contract_fence_storage, sizeof(contract_fence_storage), 16) != 0 ||
	    dmabuf_peripheral_register(&registry, peripheral) != 0 || dmabuf_peripheral_configure(peripheral, format) != 0)
		return NULL;
	dmabuf_peripheral_job_bind(job, pool);
	return pool;
}

static void contract_dcmi_camera_signals_its_fence_at_the_end_of_the_frame(void)
{
	static struct stm32_camera camera;
	camera = (struct stm32_camera){ .capture = dcmi_capture() };
	stm32_camera_init(&camera, "camera", 640, 480);
	struct dmabuf_frame_format vga = { 640, 480, DMABUF_PIXEL_RGB565_BE };
	struct dmabuf_fence_pool *pool = contract_setup(&camera.peripheral, &camera.job, &vga);
	UNIT_ASSERT(pool != NULL);
	/* A buffer padded past the frame: the DCMI adapter still gets exactly one frame. */
	struct dmabuf_mapping m = adapter_mapping(SDRAM, 640 * 480 * 2 + 32, 65535u * 4u, DMABUF_FROM_DEVICE);
	dmabuf_fence_t done, second;
	UNIT_EQ(dmabuf_camera_capture(&camera.peripheral, &m, &done), 0);
	UNIT_EQ(dmabuf_camera_capture(&camera.peripheral, &m, &second), DMABUF_EBUSY);
	UNIT_EQ(dma2.stream[1].ndtr, 51200);
	for (int part = 0; part < 2; part++) {
		hardware_transfer_complete(1);
		UNIT_EQ(stm32_camera_on_dma(&camera, stm32_dma_take_flags(&camera.capture.dma)), STM32_TRANSFER_RUNNING);
		UNIT_EQ(dmabuf_fence_status(pool, done), 0);
	}
	hardware_transfer_complete(1);
	UNIT_EQ(stm32_camera_on_dma(&camera, stm32_dma_take_flags(&camera.capture.dma)), STM32_TRANSFER_DONE);
	UNIT_EQ(dmabuf_fence_status(pool, done), 1);
	struct dmabuf_completion completion;
	UNIT_EQ(dmabuf_peripheral_completion(&camera.peripheral, done, &completion), 0);
	UNIT_EQ(completion.sequence, 0);
	UNIT_EQ(dmabuf_fence_put(pool, done), 0);
	/* Only the caller's reference was left: the pool is empty again. */
	UNIT_EQ(dmabuf_fence_pool_deinit(pool), 0);
	UNIT_EQ(hw.violations, 0);
}

static void contract_ltdc_display_releases_the_old_frame_at_the_reload(void)
{
	static struct stm32_display display;
	display = (struct stm32_display){ .ltdc = &ltdc, .layer = 0 };
	stm32_display_init(&display, "display", 800, 480);
	struct dmabuf_frame_format yuv = { 800, 480, DMABUF_PIXEL_YUYV };
	UNIT_ASSERT(contract_setup(&display.peripheral, &display.job, &yuv) == NULL); /* LTDC takes no YUV */
	struct dmabuf_frame_format wvga888 = { 800, 480, DMABUF_PIXEL_RGB888 };
	UNIT_ASSERT(contract_setup(&display.peripheral, &display.job, &wvga888) == NULL); /* B, G, R on the LTDC */
	struct dmabuf_frame_format wvga = { 800, 480, DMABUF_PIXEL_RGB565_LE };
	struct dmabuf_fence_pool *pool = contract_setup(&display.peripheral, &display.job, &wvga);
	UNIT_ASSERT(pool != NULL);
	/* Opening set the layer up for the frame. */
	UNIT_EQ(ltdc.layer[0].whpcr, (835u << 16) | 36u);
	UNIT_EQ(ltdc.layer[0].pfcr, 2);
	UNIT_EQ(ltdc.layer[0].cfblnr, 480);
	struct dmabuf_mapping m = adapter_mapping(SDRAM, 800 * 480 * 2, 0xFFFFFFFFu, DMABUF_TO_DEVICE);
	dmabuf_fence_t released;
	UNIT_EQ(dmabuf_display_present(&display.peripheral, &m, &released), 0);
	UNIT_EQ(ltdc.layer[0].cfbar, SDRAM);
	UNIT_EQ(ltdc.srcr, LTDC_SRCR_VBR);
	UNIT_EQ(stm32_display_on_reload(&display), 0); /* still scanning the old frame */
	UNIT_EQ(dmabuf_fence_status(pool, released), 0);
	ltdc.srcr = 0; /* vertical blanking: the shadow registers were loaded */
	UNIT_EQ(stm32_display_on_reload(&display), 1);
	UNIT_EQ(dmabuf_fence_status(pool, released), 1);
	UNIT_EQ(stm32_display_on_reload(&display), 0);
	UNIT_EQ(dmabuf_fence_put(pool, released), 0);
	UNIT_EQ(dmabuf_fence_pool_deinit(pool), 0);
}

static struct {
	uint8_t commands[8];
	uint8_t parameters[8][4];
	uint32_t count;
} sent;

static void record_command(void *board, uint8_t command, const uint8_t *parameters, uint32_t count)
{
	(void)board;
	if (sent.count < 8) {
		sent.commands[sent.count] = command;
		if (count == 4)
			memcpy(sent.parameters[sent.count], parameters, 4);
		sent.count++;
	}
}

/* An SPI panel whose commands go to sent, registered and configured for RGB565. */
static struct dmabuf_fence_pool *contract_panel_setup(struct stm32_spi_panel *panel)
{
	static const struct dmabuf_frame_format rgb565 = { 0, 0, DMABUF_PIXEL_RGB565_BE };
	*panel = (struct stm32_spi_panel){ .tx = spi_tx(1), .command = record_command };
	memset(&sent, 0, sizeof(sent));
	stm32_spi_panel_init(panel, "spi-panel", "dma2", 320, 240);
	return contract_setup(&panel->peripheral, &panel->job, &rgb565);
}

static void contract_spi_panel_sets_the_window_then_streams_a_crop_row_by_row(void)
{
	static struct stm32_spi_panel panel;
	struct dmabuf_fence_pool *pool = contract_panel_setup(&panel);
	UNIT_ASSERT(pool != NULL);
	/* A 100 x 3 crop at (20, 10) of a 640-pixel-wide frame, to GRAM (40, 0). */
	struct dmabuf_mapping m = adapter_mapping(SRAM1, 640 * 2 * 20, 65535, DMABUF_TO_DEVICE);
	struct dmabuf_rect window = { 40, 0, 100, 3 };
	uint32_t offset = (10u * 640u + 20u) * 2u;
	dmabuf_fence_t done;
	UNIT_EQ(dmabuf_spi_panel_write(&panel.peripheral, &m, offset, 640 * 2, &window, &done), 0);
	UNIT_EQ(sent.count, 3);
	UNIT_EQ(sent.commands[0], 0x2A);
	UNIT_EQ(memcmp(sent.parameters[0], (const uint8_t[]){ 0, 40, 0, 139 }, 4), 0);
	UNIT_EQ(sent.commands[1], 0x2B);
	UNIT_EQ(memcmp(sent.parameters[1], (const uint8_t[]){ 0, 0, 0, 2 }, 4), 0);
	UNIT_EQ(sent.commands[2], 0x2C);

	struct part parts[4];
	uint32_t n = 0;
	volatile struct stm32_dma_stream_regs *st = &dma2.stream[3];
	for (int r = STM32_TRANSFER_RUNNING; r == STM32_TRANSFER_RUNNING && n < 4;) {
		parts[n++] = (struct part){ st->m0ar, st->ndtr };
		hardware_transfer_complete(3);
		r = stm32_spi_panel_on_dma(&panel, stm32_dma_take_flags(&panel.tx.dma));
		if (r != STM32_TRANSFER_RUNNING)
			UNIT_EQ(r, STM32_TRANSFER_DONE);
	}
	UNIT_EQ(n, 3);
	for (uint32_t row = 0; row < 3; row++) {
		UNIT_EQ(parts[row].addr, SRAM1 + offset + row * 640u * 2u);
		UNIT_EQ(parts[row].ndtr, 200);
	}
	UNIT_EQ(dmabuf_fence_status(pool, done), 1);
	UNIT_EQ(dmabuf_fence_put(pool, done), 0);

	/* A controller command goes through the board's hook, its fence already signalled. */
	const uint8_t colmod[1] = { 0x55 };
	UNIT_EQ(dmabuf_spi_panel_command(&panel.peripheral, 0x3A, colmod, 1, &done), 0);
	UNIT_EQ(sent.count, 4);
	UNIT_EQ(sent.commands[3], 0x3A);
	UNIT_EQ(dmabuf_fence_status(pool, done), 1);
	UNIT_EQ(dmabuf_fence_put(pool, done), 0);
	UNIT_EQ(dmabuf_fence_pool_deinit(pool), 0);
	UNIT_EQ(hw.violations, 0);
}

/* The shared job code (peripheral_job.c) stamps jobs with the OS port's
 * clock: the board has no clock hook to forget. */
static void contract_completions_carry_os_clock_times_in_job_order(void)
{
	static struct stm32_spi_panel panel;
	struct dmabuf_fence_pool *pool = contract_panel_setup(&panel);
	UNIT_ASSERT(pool != NULL);
	const uint8_t colmod[1] = { 0x55 };
	dmabuf_fence_t done[2];
	uint64_t before = dmabuf_time_us();
	UNIT_EQ(dmabuf_spi_panel_command(&panel.peripheral, 0x3A, colmod, 1, &done[0]), 0);
	UNIT_EQ(dmabuf_spi_panel_command(&panel.peripheral, 0x3A, colmod, 1, &done[1]), 0);
	uint64_t after = dmabuf_time_us();
	for (uint32_t i = 0; i < 2; i++) {
		struct dmabuf_completion completion;
		UNIT_EQ(dmabuf_peripheral_completion(&panel.peripheral, done[i], &completion), 0);
		UNIT_EQ(completion.sequence, i);
		UNIT_ASSERT(completion.start_us >= before);
		UNIT_ASSERT(completion.timestamp_us >= completion.start_us);
		UNIT_ASSERT(completion.timestamp_us <= after);
		UNIT_EQ(dmabuf_fence_put(pool, done[i]), 0);
	}
	UNIT_EQ(dmabuf_fence_pool_deinit(pool), 0);
}

/* The contract's configure: -EBUSY only for another format while a job runs. */
static void contract_dcmi_camera_refuses_another_format_only_while_capturing(void)
{
	static struct stm32_camera camera;
	camera = (struct stm32_camera){ .capture = dcmi_capture() };
	stm32_camera_init(&camera, "camera", 640, 480);
	struct dmabuf_frame_format vga = { 640, 480, DMABUF_PIXEL_RGB565_BE };
	struct dmabuf_frame_format yuv = { 640, 480, DMABUF_PIXEL_YUYV };
	struct dmabuf_fence_pool *pool = contract_setup(&camera.peripheral, &camera.job, &vga);
	UNIT_ASSERT(pool != NULL);
	struct dmabuf_mapping m = adapter_mapping(SDRAM, 640 * 480 * 2, 65535u * 4u, DMABUF_FROM_DEVICE);
	dmabuf_fence_t done;
	UNIT_EQ(dmabuf_camera_capture(&camera.peripheral, &m, &done), 0);
	UNIT_EQ(dmabuf_peripheral_configure(&camera.peripheral, &vga), 0);
	UNIT_EQ(dmabuf_peripheral_configure(&camera.peripheral, &yuv), DMABUF_EBUSY);
	UNIT_EQ(camera.peripheral.format.format, DMABUF_PIXEL_RGB565_BE);
	int result = STM32_TRANSFER_RUNNING;
	for (int part = 0; part < 3 && result == STM32_TRANSFER_RUNNING; part++) {
		hardware_transfer_complete(1);
		result = stm32_camera_on_dma(&camera, stm32_dma_take_flags(&camera.capture.dma));
	}
	UNIT_EQ(result, STM32_TRANSFER_DONE);
	UNIT_EQ(dmabuf_peripheral_configure(&camera.peripheral, &yuv), 0);
	UNIT_EQ(dmabuf_fence_put(pool, done), 0);
	UNIT_EQ(dmabuf_fence_pool_deinit(pool), 0);
	UNIT_EQ(hw.violations, 0);
}

const struct unit_suite suite_adapters_stm32 = UNIT_SUITE(adapters_stm32,
	UNIT_TEST(contract_dcmi_camera_signals_its_fence_at_the_end_of_the_frame),
	UNIT_TEST(contract_ltdc_display_releases_the_old_frame_at_the_reload),
	UNIT_TEST(contract_spi_panel_sets_the_window_then_streams_a_crop_row_by_row),
	UNIT_TEST(contract_completions_carry_os_clock_times_in_job_order),
	UNIT_TEST(contract_dcmi_camera_refuses_another_format_only_while_capturing),
	UNIT_TEST(equal_split_finds_the_fewest_equal_transfers),
	UNIT_TEST(stop_waits_until_the_stream_reads_disabled),
	UNIT_TEST(take_flags_normalises_and_clears_each_stream),
	UNIT_TEST(spi_sends_each_65535_byte_segment_as_one_transfer),
	UNIT_TEST(spi_cuts_a_long_segment_at_65535_items),
	UNIT_TEST(spi_enables_stream_then_txdmaen_then_spe),
	UNIT_TEST(spi_closes_after_bsy_then_drains_rx_then_clears_txdmaen),
	UNIT_TEST(spi_stream_error_closes_with_eio),
	UNIT_TEST(spi_start_waits_for_a_stream_still_running),
	UNIT_TEST(spi_refuses_mappings_it_cannot_send),
	UNIT_TEST(dcmi_vga_frame_runs_three_equal_double_buffered_transfers),
	UNIT_TEST(dcmi_arms_the_stream_before_enabling_the_camera),
	UNIT_TEST(dcmi_transfer_error_stops_with_eio),
	UNIT_TEST(dcmi_refuses_frames_it_cannot_capture),
	UNIT_TEST(ltdc_writes_address_geometry_then_reload),
	UNIT_TEST(ltdc_refuses_while_the_previous_reload_is_pending),
	UNIT_TEST(ltdc_refuses_frames_the_layer_cannot_scan),
	UNIT_TEST(ltdc_setup_puts_the_window_in_the_active_area_and_enables_with_the_first_frame),
	UNIT_TEST(ltdc_setup_refuses_frames_outside_the_active_area_and_other_pixels),
	UNIT_TEST(core_mapping_for_dcmi_captures_a_vga_frame),
	UNIT_TEST(core_mapping_for_dma2_goes_out_over_spi),
	UNIT_TEST(core_mapping_for_ltdc_is_shown_by_a_layer));
