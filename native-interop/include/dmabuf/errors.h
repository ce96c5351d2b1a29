/*
 * DmaBuf error codes.
 *
 * Every fallible function returns 0 (or a non-negative count) on success and
 * one of these negative values on failure. The numbers are the Linux errno
 * values, fixed here rather than taken from <errno.h> so that they are the same
 * on every C library we build with (glibc, newlib, picolibc, ESP-IDF) and so
 * the managed layer can map them to exceptions.
 *
 * KEEP IN SYNC with managed/nanoFramework.DmaBuf/DmaError.cs.
 */
#ifndef DMABUF_ERRORS_H
#define DMABUF_ERRORS_H

enum dmabuf_error {
	DMABUF_OK = 0,
	DMABUF_EPERM = -1,      /* operation not permitted in the current state (misuse) */
	DMABUF_ENOENT = -2,     /* no such name (device, board) */
	DMABUF_EIO = -5,        /* a fence was signalled with an error; dmabuf_check found a broken invariant */
	DMABUF_EBADF = -9,      /* stale, forged or wrong-type handle */
	DMABUF_EAGAIN = -11,    /* would have to wait, and the caller asked not to (nothing changed) */
	DMABUF_ENOMEM = -12,    /* heap or a metadata pool is exhausted */
	DMABUF_EFAULT = -14,    /* the device cannot reach the storage */
	DMABUF_EBUSY = -16,     /* the buffer is in use by the other side (CPU or device) */
	DMABUF_EEXIST = -17,    /* already attached / already mapped */
	DMABUF_EINVAL = -22,    /* bad argument: null pointer, zero size, bad direction */
	DMABUF_EDOM = -33,      /* a peripheral cannot serve this configuration (format, size, frame too small) */
	DMABUF_ERANGE = -34,    /* offset/length outside the buffer, or overflow */
	DMABUF_ENOTSUP = -95,   /* the backend or target does not support the operation */
	DMABUF_ESHUTDOWN = -108, /* the object was closed: it refuses new work (dmabuf_queue_close) */
	DMABUF_ETIMEDOUT = -110 /* a wait ran out of time */
};

/* Short, stable name of an error code ("EBUSY"), for logs and tests. */
const char *dmabuf_strerror(int err);

#endif /* DMABUF_ERRORS_H */
