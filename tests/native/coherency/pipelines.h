/*
 * Frame pipelines over the real core, each a realistic use of the API from
 * start (export) to end (put). A pipeline records what went wrong in the rig
 * (corrupted bytes, failed calls); it asserts nothing itself, so the same
 * pipeline proves the hand-overs sufficient (no fault: zero corruption) and
 * each one necessary (its operations dropped: corruption).
 */
#ifndef COHERENCY_PIPELINES_H
#define COHERENCY_PIPELINES_H

#include "coherency/rig.h"

/* Frame size: not a whole number of lines, so padding is exercised. */
#define PIPELINE_FRAME 1000u

typedef void (*pipeline_fn)(struct rig *rig);

/* CPU writes whole frames, the display reads them (TO_DEVICE). */
void pipeline_cpu_to_device(struct rig *rig);
/* The camera writes frames, the CPU reads them (FROM_DEVICE), while the CPU
 * keeps writing a neighbouring buffer in an open access. */
void pipeline_device_to_cpu(struct rig *rig);
/* One BIDIRECTIONAL buffer: the CPU reads the device's result and writes a
 * new frame, the device reads it and writes its result back. */
void pipeline_bidirectional(struct rig *rig);
/* Camera -> display through one buffer, the CPU never touching it. */
void pipeline_camera_to_display(struct rig *rig);
/* The camera writes a frame; the CPU reads a sub-range, then draws an
 * overlay into another sub-range (TO_DEVICE or BIDIRECTIONAL), at unaligned
 * offsets; the display reads the composed frame. */
void pipeline_sub_range(struct rig *rig);
/* The camera writes an RGB565 (high byte first) frame of 20 x 25 pixels;
 * the CPU fills or darkens a random rectangle with the frame operations
 * (dmabuf/frame.h: one access from the first touched byte to the last, bytes
 * of other rows inside it untouched); the display reads the composed frame. */
void pipeline_frame_overlay(struct rig *rig);
/* The same frame, but the CPU opens one access over a random rectangle's
 * window (TO_DEVICE, or BIDIRECTIONAL on odd frames) and runs three
 * overlapping fills/darkens inside it (frame.h, "batching"): the hand-over
 * is that access's begin and end only. */
void pipeline_frame_overlay_batched(struct rig *rig);
/* A previous owner scribbled into its buffer inside a FROM_DEVICE access
 * (dirty lines never cleaned) and freed it; the next buffer on the same
 * storage goes camera -> CPU and camera -> display. */
void pipeline_reuse_after_free(struct rig *rig);
/* The CPU fills a buffer placed in sram; attaching "dma2" (reaches sram2
 * only) migrates it; dma2 reads it, then the camera refills it for the CPU. */
void pipeline_migration(struct rig *rig);
/* Only the coherent "snooper" is attached while the CPU writes (the clean is
 * deferred); then the non-coherent display is attached and reads. */
void pipeline_deferred_clean(struct rig *rig);
/* A non-coherent camera writes a frame and detaches, leaving the buffer
 * stale with only the coherent snooper attached; the CPU draws a small
 * overlay (its clean is deferred, rule 5) and reads it back (rule 4 must not
 * discard the owed lines); the snooper, then a late non-coherent display
 * (rule 6), read the composed frame. */
void pipeline_stale_then_deferred(struct rig *rig);
/* A seeded random walk of hand-overs over one buffer that keeps the coherent
 * snooper attached throughout while the non-coherent camera and display come
 * and go: CPU reads, overlays and read-modify-writes of random sub-ranges,
 * device reads and writes, attaches and detaches in any order, so the
 * deferred clean of rules 5 and 6 meets every other rule. */
void pipeline_random_hand_overs(struct rig *rig);
/* Every direction through a coherent device only: zero cache operations. */
void pipeline_coherent_device(struct rig *rig);
/* Every direction through an uncached buffer: zero cache operations. */
void pipeline_uncached(struct rig *rig);

#endif /* COHERENCY_PIPELINES_H */
