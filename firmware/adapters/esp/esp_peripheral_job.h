/*
 * The jobs of the ESP peripheral bindings (esp_camera.h, esp_dpi_display.h,
 * esp_spi_panel.h): where their fences come from, what finished jobs
 * reported (dmabuf_peripheral_ops.completion), and, for the peripherals
 * that run one job at a time (display, SPI panel), the job that runs.
 *
 * Plain C over the core's fence pool and OS port, no ESP-IDF call: the
 * ESP-IDF completion callbacks run in ISR context, on either core of a
 * dual-core chip, so every member the ISR side writes is changed under
 * dmabuf_irq_lock (a spinlock across both cores under FreeRTOS SMP), and
 * the ISR side only calls the fence functions fence.h calls ISR-safe.
 *
 * The clock of the job times is dmabuf_time_us() (esp_timer on ESP-IDF,
 * ISR-safe).
 *
 * The trap of the interrupt side: the bindings' callbacks are IRAM_ATTR,
 * but the fence code they call runs from flash. So their interrupts must be
 * off while the flash is written (the cache is off then), which is
 * ESP-IDF's default: keep CONFIG_LCD_DSI_ISR_CACHE_SAFE and
 * CONFIG_CAM_CTLR_MIPI_CSI_ISR_CACHE_SAFE off, and give the SPI bus no
 * ESP_INTR_FLAG_IRAM (spi_bus_config_t.intr_flags).
 */
#ifndef DMABUF_ESP_PERIPHERAL_JOB_H
#define DMABUF_ESP_PERIPHERAL_JOB_H

#include <stdint.h>

#include "dmabuf/fence.h"
#include "dmabuf/peripheral.h"

/* What the last few finished jobs reported. */
#define ESP_PERIPHERAL_COMPLETIONS 4u

struct esp_peripheral_job {
	/* Set by esp_peripheral_job_bind. */
	struct dmabuf_fence_pool *fences;
	uint32_t timeline;
	/* Private; the ISR side writes them under dmabuf_irq_lock. */
	uint32_t issued;         /* fences made: the next one's seqno is issued + 1 */
	uint32_t finished;       /* jobs finished: the next completion's sequence */
	dmabuf_fence_t running;  /* one-job peripherals: the binding's reference, 0 when idle */
	uint64_t start_us;       /* of the running job */
	dmabuf_fence_t done_fences[ESP_PERIPHERAL_COMPLETIONS];
	struct dmabuf_completion done[ESP_PERIPHERAL_COMPLETIONS];
	uint32_t next_done;
};

/* Take fences from @fences on a new timeline, forgetting every earlier job
 * (at start-up, and after a soft reboot, which makes a new pool). Thread
 * context; the ISR side may still run (it then finds no job). */
void esp_peripheral_job_bind(struct esp_peripheral_job *job, struct dmabuf_fence_pool *fences);

/* A fence for the next job on the job's timeline, the caller's reference.
 * Thread context. @retval 0; as dmabuf_fence_create. */
int esp_peripheral_job_fence(struct esp_peripheral_job *job, dmabuf_fence_t *fence);

/* Remember that the job of @fence, started at @start_us, finished now.
 * ISR-safe. */
void esp_peripheral_job_record(struct esp_peripheral_job *job, dmabuf_fence_t fence, uint64_t start_us);

/*
 * One-job peripherals: a fence for a job about to start, the caller's
 * reference in *@fence, the binding's kept as the running job (paired with
 * the put in esp_peripheral_job_end or _cancel). Thread context.
 * @retval 0; -EBUSY a job runs; as dmabuf_fence_create.
 */
int esp_peripheral_job_begin(struct esp_peripheral_job *job, dmabuf_fence_t *fence);

/* The job of @fence could not start: nobody will see its fence. Drops both
 * references (the binding's only if the job is still the running one).
 * Thread context. @retval @err. */
int esp_peripheral_job_cancel(struct esp_peripheral_job *job, dmabuf_fence_t fence, int err);

/* The running job ended (@error 0: done): recorded, then its fence signals
 * (with @error if not 0) as the last touch of the job. Nothing runs: no-op.
 * ISR-safe. */
void esp_peripheral_job_end(struct esp_peripheral_job *job, int error);

/* Whether @format is the one @peripheral is configured for already (the
 * contract's configure then answers 0, whatever runs). */
bool esp_peripheral_same_format(const struct dmabuf_peripheral *peripheral, const struct dmabuf_frame_format *format);

/* dmabuf_peripheral_ops members for bindings whose peripheral->driver is
 * their job: configure refuses another format only while a job runs (the
 * format is the board's set-up); completion finds a recent job's report. */
int esp_peripheral_job_configure(struct dmabuf_peripheral *peripheral, const struct dmabuf_frame_format *format);
int esp_peripheral_job_completion(struct dmabuf_peripheral *peripheral, dmabuf_fence_t done,
				  struct dmabuf_completion *out);

#endif /* DMABUF_ESP_PERIPHERAL_JOB_H */
