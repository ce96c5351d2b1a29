/*
 * The jobs of the peripheral adapters behind the peripheral contract
 * (dmabuf/peripheral.h), whatever the chip (stm32/stm32_peripherals.h,
 * esp/esp_camera.h, esp/esp_dpi_display.h, esp/esp_spi_panel.h): the fence
 * of each job on the peripheral's own timeline, the adapter's reference on
 * it while the job runs, what the last few finished jobs reported
 * (dmabuf_peripheral_ops.completion), and the signal as the last touch of
 * the job. Peripherals that run one job at a time (an LTDC or DPI display,
 * an SPI panel, the DCMI) use begin / cancel / end; peripherals with
 * several captures queued (the ESP camera) make their fences with
 * dmabuf_peripheral_job_fence and record each finished one.
 *
 * Plain C over the core's fence pool and OS port, no chip call. The
 * completion side runs in ISR context, on either core of a dual-core chip
 * (ESP-IDF under FreeRTOS SMP), so every member it writes is changed under
 * dmabuf_irq_lock (a spinlock across both cores there, interrupts off on a
 * single-core ChibiOS), and it only calls the fence functions fence.h calls
 * ISR-safe. The clock of the job times is dmabuf_time_us() (ISR-safe in
 * every OS port).
 *
 * The trap of the interrupt side on ESP-IDF: the bindings' callbacks are
 * IRAM_ATTR, but this code and the fence code they call run from flash. So
 * their interrupts must be off while the flash is written (the cache is off
 * then), which is ESP-IDF's default: keep CONFIG_LCD_DSI_ISR_CACHE_SAFE and
 * CONFIG_CAM_CTLR_MIPI_CSI_ISR_CACHE_SAFE off, and give the SPI bus no
 * ESP_INTR_FLAG_IRAM (spi_bus_config_t.intr_flags).
 */
#ifndef DMABUF_PERIPHERAL_JOB_H
#define DMABUF_PERIPHERAL_JOB_H

#include <stdint.h>

#include "dmabuf/fence.h"
#include "dmabuf/peripheral.h"

/* What the last few finished jobs reported. */
#define DMABUF_PERIPHERAL_JOB_COMPLETIONS 4u

struct dmabuf_peripheral_job {
	/* Set by dmabuf_peripheral_job_bind (the board's, at start-up and after a soft reboot). */
	struct dmabuf_fence_pool *fences;
	uint32_t timeline;
	/* Private; the ISR side writes them under dmabuf_irq_lock. */
	uint32_t issued;         /* fences made: the next one's seqno is issued + 1 */
	uint32_t finished;       /* jobs finished: the next completion's sequence */
	dmabuf_fence_t running;  /* one-job peripherals: the adapter's reference, 0 when idle */
	uint64_t start_us;       /* of the running job */
	dmabuf_fence_t done_fences[DMABUF_PERIPHERAL_JOB_COMPLETIONS];
	struct dmabuf_completion done[DMABUF_PERIPHERAL_JOB_COMPLETIONS];
	uint32_t next_done;
};

/* Take fences from @fences on a new timeline, forgetting every earlier job
 * (at start-up, and after a soft reboot, which makes a new pool). Thread
 * context; the ISR side may still run (it then finds no job). */
void dmabuf_peripheral_job_bind(struct dmabuf_peripheral_job *job, struct dmabuf_fence_pool *fences);

/* A fence for the next job on the job's timeline, the caller's reference.
 * Thread context. @retval 0; as dmabuf_fence_create. */
int dmabuf_peripheral_job_fence(struct dmabuf_peripheral_job *job, dmabuf_fence_t *fence);

/* Remember that the job of @fence, started at @start_us, finished now.
 * ISR-safe. */
void dmabuf_peripheral_job_record(struct dmabuf_peripheral_job *job, dmabuf_fence_t fence, uint64_t start_us);

/*
 * One-job peripherals: a fence for a job about to start, the caller's
 * reference in *@fence, the adapter's kept as the running job (paired with
 * the put in dmabuf_peripheral_job_end or _cancel). Thread context.
 * @retval 0; -EBUSY a job runs; as dmabuf_fence_create.
 */
int dmabuf_peripheral_job_begin(struct dmabuf_peripheral_job *job, dmabuf_fence_t *fence);

/* The job of @fence could not start: nobody will see its fence. Drops both
 * references (the adapter's only if the job is still the running one).
 * Thread context. @retval @err. */
int dmabuf_peripheral_job_cancel(struct dmabuf_peripheral_job *job, dmabuf_fence_t fence, int err);

/* The running job ended (@error 0: done): recorded, then its fence signals
 * (with @error if not 0) as the last touch of the job. Nothing runs: no-op.
 * ISR-safe; also the thread of a job that ends as it starts. */
void dmabuf_peripheral_job_end(struct dmabuf_peripheral_job *job, int error);

/* Whether @format is the one @peripheral is configured for already (the
 * contract's configure then answers 0, whatever runs). */
bool dmabuf_peripheral_same_format(const struct dmabuf_peripheral *peripheral, const struct dmabuf_frame_format *format);

/* dmabuf_peripheral_ops members for adapters whose peripheral->driver is
 * their job: configure refuses another format only while a job runs (the
 * format is the board's set-up); completion finds a recent job's report. */
int dmabuf_peripheral_job_configure(struct dmabuf_peripheral *peripheral, const struct dmabuf_frame_format *format);
int dmabuf_peripheral_job_completion(struct dmabuf_peripheral *peripheral, dmabuf_fence_t done,
				     struct dmabuf_completion *out);

#endif /* DMABUF_PERIPHERAL_JOB_H */
