// Smallest useful compute check: each invocation doubles one element and adds its index,
// so a readback proves that the shader ran on every element and the bounds guard held.

override WORKGROUP_SIZE: u32 = 64;

@group(0) @binding(0) var<storage, read_write> values: array<f32>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let i = id.x;
  if (i >= arrayLength(&values)) {
    return;
  }
  values[i] = values[i] * 2.0 + f32(i);
}
