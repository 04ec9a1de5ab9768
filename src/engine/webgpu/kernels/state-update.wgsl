// Commits a module's new state and measures the update: z <- x, with
// readout[0] = ‖x - z_old‖² and readout[1] = ‖z_old‖², summed over all positions in f32.
// One workgroup strides over the whole state and reduces in workgroup memory, so the host
// reads back two numbers instead of the state.
// NOTE: a single workgroup uses one compute unit of a real GPU; at 901 x 512 elements this is
// an estimated small share of an update, but it was only measured on SwiftShader.

override COUNT: u32; // positions * hidden_size
override WORKGROUP: u32 = 256u;

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> z: array<f32>;
@group(0) @binding(2) var<storage, read_write> readout: array<f32>; // [2]

var<workgroup> diff_partial: array<f32, WORKGROUP>;
var<workgroup> old_partial: array<f32, WORKGROUP>;

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(local_invocation_index) tid: u32) {
  var diff_squares = 0.0;
  var old_squares = 0.0;
  for (var i = tid; i < COUNT; i += WORKGROUP) {
    let old_value = z[i];
    let new_value = x[i];
    let d = new_value - old_value;
    diff_squares += d * d;
    old_squares += old_value * old_value;
    z[i] = new_value;
  }
  diff_partial[tid] = diff_squares;
  old_partial[tid] = old_squares;
  workgroupBarrier();
  for (var stride = WORKGROUP / 2u; stride > 0u; stride /= 2u) {
    if (tid < stride) {
      diff_partial[tid] += diff_partial[tid + stride];
      old_partial[tid] += old_partial[tid + stride];
    }
    workgroupBarrier();
  }
  if (tid == 0u) {
    readout[0] = diff_partial[0];
    readout[1] = old_partial[0];
  }
}
