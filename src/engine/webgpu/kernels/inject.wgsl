// Input injection at the start of a reasoning module: x = z + a for the H update (a = z_L) and
// x = z + (a + b) for the L update (a = z_H, b = the input embedding). Elementwise; in bfloat16
// mode each sum is a bfloat16 tensor, as in the authors' forward.

override COUNT: u32;         // positions * hidden_size
override THREE_TERMS: bool;  // true for the L update
override WORKGROUP: u32 = 256u;

@group(0) @binding(0) var<storage, read> z: array<f32>;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> x: array<f32>;

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let i = id.x;
  if (i >= COUNT) {
    return;
  }
  var injection = a[i];
  if (THREE_TERMS) {
    injection = act(a[i] + b[i]);
  }
  x[i] = act(z[i] + injection);
}
