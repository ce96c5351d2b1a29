namespace nanoFramework.DmaBuf
{
    /// <summary>
    /// The one state a frame of a <see cref="FrameQueue"/> is in.
    /// KEEP IN SYNC with enum dmabuf_frame_state (native-interop/include/dmabuf/queue.h).
    /// </summary>
    public enum FrameState
    {
        /// <summary>Available to the producer.</summary>
        Free = 0,

        /// <summary>Taken by the producer (<see cref="FrameQueue.Dequeue(int)"/>), being filled.</summary>
        Producing = 1,

        /// <summary>Published (<see cref="FrameQueue.Enqueue(QueueFrame)"/>), waiting for a consumer.</summary>
        Ready = 2,

        /// <summary>Taken by a consumer (<see cref="FrameQueue.Acquire(int)"/>), being read.</summary>
        Consuming = 3
    }
}
