/** GPU buffers alive on a device: created through `device.createBuffer` since tracking began and not yet destroyed. */
export interface BufferTracker {
  live(): { buffers: number; bytes: number; labels: Map<string, number> };
  /** Puts the device's own createBuffer back. */
  stop(): void;
}

/** Wraps `device.createBuffer`, and each buffer's `destroy`, to count what is alive (a second destroy counts once). */
export function trackBuffers(device: GPUDevice): BufferTracker {
  const alive = new Set<GPUBuffer>();
  const create = device.createBuffer;
  device.createBuffer = (descriptor: GPUBufferDescriptor) => {
    const buffer = create.call(device, descriptor);
    const destroy = buffer.destroy;
    alive.add(buffer);
    buffer.destroy = () => {
      alive.delete(buffer);
      destroy.call(buffer);
    };
    return buffer;
  };
  return {
    live() {
      const labels = new Map<string, number>();
      let bytes = 0;
      for (const b of alive) {
        bytes += b.size;
        labels.set(b.label, (labels.get(b.label) ?? 0) + 1);
      }
      return { buffers: alive.size, bytes, labels };
    },
    stop() {
      device.createBuffer = create;
    },
  };
}
