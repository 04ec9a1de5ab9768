// A small builder over the ONNX protobuf classes from `onnx-proto` (ONNX 1.10 definitions): it
// collects nodes, initializers and graph inputs/outputs and encodes a ModelProto. HRM's graphs
// are built on top of it in hrm-graphs.ts.

import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** ONNX opset of the default domain. Opset 18 takes Reduce* axes as an input, not an attribute. */
export const ONNX_OPSET = 18;

/** Opset of the `com.microsoft` domain (RotaryEmbedding, MultiHeadAttention, …). */
export const MS_OPSET = 1;

/** IR version 8 is the newest that the ONNX 1.10 protobuf definitions know, and covers opset 18. */
const IR_VERSION = 8;

export const MS_DOMAIN = 'com.microsoft';

export type ElementType = 'float32' | 'int32' | 'int64';

const DATA_TYPES: Record<ElementType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  int32: onnx.TensorProto.DataType.INT32,
  int64: onnx.TensorProto.DataType.INT64,
};

/** A graph input or output: name, element type and shape (a string is a symbolic dimension). */
export interface ValueSpec {
  name: string;
  type: ElementType;
  shape: (number | string)[];
}

export type AttributeValue = number | number[] | string | { float: number };

/** One node as recorded by the builder, kept readable for structure tests. */
export interface NodeSpec {
  opType: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attributes: Record<string, AttributeValue>;
}

export interface InitializerSpec {
  name: string;
  type: ElementType;
  shape: number[];
  data: Float32Array | Int32Array | BigInt64Array;
}

/** A finished graph: its structure for inspection, and `encode()` for onnxruntime. */
export interface BuiltGraph {
  name: string;
  inputs: ValueSpec[];
  outputs: ValueSpec[];
  nodes: NodeSpec[];
  initializers: InitializerSpec[];
  encode(): Uint8Array;
}

function elementCount(shape: number[]): number {
  return shape.reduce((product, dim) => product * dim, 1);
}

function toAttributeProto(name: string, value: AttributeValue): onnxProto.onnx.IAttributeProto {
  const types = onnx.AttributeProto.AttributeType;
  if (typeof value === 'string') {
    return { name, type: types.STRING, s: new TextEncoder().encode(value) };
  }
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) {
      throw new Error(`Attribute ${name} = ${value} is not an integer; wrap floats as { float }.`);
    }
    return { name, type: types.INT, i: value };
  }
  if (Array.isArray(value)) {
    return { name, type: types.INTS, ints: value };
  }
  return { name, type: types.FLOAT, f: value.float };
}

function toValueInfo(spec: ValueSpec): onnxProto.onnx.IValueInfoProto {
  return {
    name: spec.name,
    type: {
      tensorType: {
        elemType: DATA_TYPES[spec.type],
        shape: {
          dim: spec.shape.map((dim) =>
            typeof dim === 'string' ? { dimParam: dim } : { dimValue: dim },
          ),
        },
      },
    },
  };
}

function toTensorProto(spec: InitializerSpec): onnxProto.onnx.ITensorProto {
  const { data } = spec;
  return {
    name: spec.name,
    dataType: DATA_TYPES[spec.type],
    dims: spec.shape,
    // ONNX raw data is little-endian, like every platform that runs a browser.
    rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  };
}

/**
 * Collects the nodes of one ONNX graph. Value names are made unique by the caller's prefixes;
 * `fresh` gives a new intermediate name.
 */
export class GraphBuilder {
  readonly nodes: NodeSpec[] = [];
  readonly initializers: InitializerSpec[] = [];
  readonly inputs: ValueSpec[] = [];
  readonly outputs: ValueSpec[] = [];
  private readonly initializerNames = new Set<string>();
  private counter = 0;

  constructor(readonly name: string) {}

  fresh(hint: string): string {
    this.counter += 1;
    return `${hint}_${this.counter}`;
  }

  input(name: string, type: ElementType, shape: (number | string)[]): string {
    this.inputs.push({ name, type, shape });
    return name;
  }

  output(name: string, type: ElementType, shape: (number | string)[]): void {
    this.outputs.push({ name, type, shape });
  }

  /** Adds a constant tensor once; a second call with the same name returns the existing one. */
  initializer(
    name: string,
    type: ElementType,
    shape: number[],
    data: Float32Array | Int32Array | BigInt64Array,
  ): string {
    if (this.initializerNames.has(name)) {
      return name;
    }
    if (data.length !== elementCount(shape)) {
      throw new Error(
        `Initializer ${name} has ${data.length} elements but shape [${shape.join(', ')}] needs ${elementCount(shape)}.`,
      );
    }
    this.initializerNames.add(name);
    this.initializers.push({ name, type, shape, data });
    return name;
  }

  /** Adds an int64 constant, e.g. axes, split sizes, slice bounds. */
  int64s(name: string, values: number[]): string {
    return this.initializer(
      name,
      'int64',
      [values.length],
      BigInt64Array.from(values, (value) => BigInt(value)),
    );
  }

  /** Adds a float32 scalar constant of shape []. */
  scalar(name: string, value: number): string {
    return this.initializer(name, 'float32', [], Float32Array.of(value));
  }

  /** Adds one node and returns its output names (fresh names unless given). */
  node(
    opType: string,
    inputs: string[],
    options: {
      outputs?: string[] | number;
      attributes?: Record<string, AttributeValue>;
      domain?: string;
    } = {},
  ): string[] {
    const outputOption = options.outputs ?? 1;
    const outputs =
      typeof outputOption === 'number'
        ? Array.from({ length: outputOption }, () => this.fresh(opType))
        : outputOption;
    this.nodes.push({
      opType,
      domain: options.domain ?? '',
      inputs,
      outputs,
      attributes: options.attributes ?? {},
    });
    return outputs;
  }

  /** Adds one single-output node and returns that output's name. */
  op(
    opType: string,
    inputs: string[],
    attributes: Record<string, AttributeValue> = {},
    domain = '',
  ): string {
    return this.node(opType, inputs, { attributes, domain })[0];
  }

  /** Renames a value everywhere it appears, e.g. to give a graph output its public name. */
  rename(from: string, to: string): string {
    for (const node of this.nodes) {
      node.inputs = node.inputs.map((name) => (name === from ? to : name));
      node.outputs = node.outputs.map((name) => (name === from ? to : name));
    }
    return to;
  }

  build(): BuiltGraph {
    const { name, nodes, initializers, inputs, outputs } = this;
    const usesMsDomain = nodes.some((node) => node.domain === MS_DOMAIN);
    const encode = (): Uint8Array => {
      const opsetImport = [{ domain: '', version: ONNX_OPSET }];
      if (usesMsDomain) {
        opsetImport.push({ domain: MS_DOMAIN, version: MS_OPSET });
      }
      const model: onnxProto.onnx.IModelProto = {
        irVersion: IR_VERSION,
        producerName: 'hrm-playground',
        opsetImport,
        graph: {
          name,
          node: nodes.map((node, index) => ({
            name: `${node.opType}_${index}`,
            opType: node.opType,
            domain: node.domain,
            input: node.inputs,
            output: node.outputs,
            attribute: Object.entries(node.attributes).map(([key, value]) =>
              toAttributeProto(key, value),
            ),
          })),
          initializer: initializers.map(toTensorProto),
          input: inputs.map(toValueInfo),
          output: outputs.map(toValueInfo),
        },
      };
      return onnx.ModelProto.encode(model).finish();
    };
    return { name, inputs, outputs, nodes, initializers, encode };
  }
}
