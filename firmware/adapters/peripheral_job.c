/*
 * Jobs of the peripheral adapters (peripheral_job.h).
 */
#include "peripheral_job.h"

#include "dmabuf/errors.h"
#include "dmabuf/os.h"

void dmabuf_peripheral_job_bind(struct dmabuf_peripheral_job *job, struct dmabuf_fence_pool *fences)
{
	uint32_t timeline = dmabuf_fence_context_alloc(fences);
	/* A late interrupt of the old pool's job finds nothing running. */
	dmabuf_irq_key_t key = dmabuf_irq_lock();
	*job = (struct dmabuf_peripheral_job){ .fences = fences, .timeline = timeline };
	dmabuf_irq_unlock(key);
}

int dmabuf_peripheral_job_fence(struct dmabuf_peripheral_job *job, dmabuf_fence_t *fence)
{
	int err = dmabuf_fence_create(job->fences, job->timeline, job->issued + 1u, fence);
	if (!err)
		job->issued++;
	return err;
}

void dmabuf_peripheral_job_record(struct dmabuf_peripheral_job *job, dmabuf_fence_t fence, uint64_t start_us)
{
	uint64_t now = dmabuf_time_us();
	dmabuf_irq_key_t key = dmabuf_irq_lock();
	uint32_t slot = job->next_done;
	job->done_fences[slot] = fence;
	job->done[slot] = (struct dmabuf_completion){ job->finished, start_us, now };
	job->next_done = (slot + 1u) % DMABUF_PERIPHERAL_JOB_COMPLETIONS;
	job->finished++;
	dmabuf_irq_unlock(key);
}

int dmabuf_peripheral_job_begin(struct dmabuf_peripheral_job *job, dmabuf_fence_t *fence)
{
	/* Only this thread sets running; the ISR side only clears it. */
	if (job->running)
		return DMABUF_EBUSY;
	int err = dmabuf_peripheral_job_fence(job, fence);
	if (err)
		return err;
	/* paired with the put in dmabuf_peripheral_job_end, or in _cancel */
	(void)dmabuf_fence_get(job->fences, *fence);
	job->start_us = dmabuf_time_us();
	dmabuf_irq_key_t key = dmabuf_irq_lock();
	job->running = *fence;
	dmabuf_irq_unlock(key);
	return 0;
}

int dmabuf_peripheral_job_cancel(struct dmabuf_peripheral_job *job, dmabuf_fence_t fence, int err)
{
	dmabuf_irq_key_t key = dmabuf_irq_lock();
	bool running = job->running == fence;
	if (running)
		job->running = 0;
	dmabuf_irq_unlock(key);
	/* A job the ISR side ended already dropped the adapter's reference. */
	if (running)
		(void)dmabuf_fence_put(job->fences, fence);
	(void)dmabuf_fence_put(job->fences, fence);
	return err;
}

void dmabuf_peripheral_job_end(struct dmabuf_peripheral_job *job, int error)
{
	dmabuf_irq_key_t key = dmabuf_irq_lock();
	dmabuf_fence_t fence = job->running;
	job->running = 0;
	dmabuf_irq_unlock(key);
	if (!fence)
		return;
	dmabuf_peripheral_job_record(job, fence, job->start_us);
	if (error)
		(void)dmabuf_fence_signal_error(job->fences, fence, error);
	else
		(void)dmabuf_fence_signal(job->fences, fence);
	(void)dmabuf_fence_put(job->fences, fence);
}

bool dmabuf_peripheral_same_format(const struct dmabuf_peripheral *peripheral, const struct dmabuf_frame_format *format)
{
	const struct dmabuf_frame_format *now = &peripheral->format;
	return peripheral->configured && now->width == format->width && now->height == format->height &&
	       now->format == format->format;
}

int dmabuf_peripheral_job_configure(struct dmabuf_peripheral *peripheral, const struct dmabuf_frame_format *format)
{
	const struct dmabuf_peripheral_job *job = peripheral->driver;
	return job->running && !dmabuf_peripheral_same_format(peripheral, format) ? DMABUF_EBUSY : 0;
}

int dmabuf_peripheral_job_completion(struct dmabuf_peripheral *peripheral, dmabuf_fence_t done,
				     struct dmabuf_completion *out)
{
	struct dmabuf_peripheral_job *job = peripheral->driver;
	int err = DMABUF_ENOENT;
	dmabuf_irq_key_t key = dmabuf_irq_lock();
	for (uint32_t i = 0; i < DMABUF_PERIPHERAL_JOB_COMPLETIONS && err; i++)
		if (done != 0 && job->done_fences[i] == done) {
			*out = job->done[i];
			err = 0;
		}
	dmabuf_irq_unlock(key);
	return err;
}
