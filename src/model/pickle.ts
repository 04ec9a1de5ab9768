// A restricted reader for Python pickles (protocols 2 to 4). It builds values from the data
// opcodes alone and never runs code. Each GLOBAL goes to the caller's `resolveGlobal`, which
// returns a value for the allowed names and throws for the rest. REDUCE can only call a
// PickleCallable that such a resolver returned. Every other opcode is rejected by name.

import { ModelLoadError } from './errors';

/** A Python callable that the caller allows REDUCE to call, with the positional arguments. */
export class PickleCallable {
  constructor(
    readonly qualifiedName: string,
    readonly call: (args: readonly unknown[]) => unknown,
  ) {}
}

export interface UnpickleOptions {
  /** Returns the value for `module.name`, or throws ModelLoadError when it is not allowed. */
  resolveGlobal(module: string, name: string): unknown;
  /** Returns the object a BINPERSID persistent id stands for. */
  persistentLoad(id: unknown): unknown;
  /** Applies a BUILD (set state) to `target`, or throws when `target` cannot take state. */
  build(target: unknown, state: unknown): void;
}

/** Opcode names for error messages, including the ones this reader rejects. */
const OPCODE_NAMES: Readonly<Record<number, string>> = {
  40: 'MARK',
  46: 'STOP',
  48: 'POP',
  49: 'POP_MARK',
  50: 'DUP',
  70: 'FLOAT',
  73: 'INT',
  74: 'BININT',
  75: 'BININT1',
  76: 'LONG',
  77: 'BININT2',
  78: 'NONE',
  80: 'PERSID',
  81: 'BINPERSID',
  82: 'REDUCE',
  83: 'STRING',
  84: 'BINSTRING',
  85: 'SHORT_BINSTRING',
  86: 'UNICODE',
  88: 'BINUNICODE',
  97: 'APPEND',
  98: 'BUILD',
  99: 'GLOBAL',
  100: 'DICT',
  125: 'EMPTY_DICT',
  101: 'APPENDS',
  103: 'GET',
  104: 'BINGET',
  105: 'INST',
  106: 'LONG_BINGET',
  108: 'LIST',
  93: 'EMPTY_LIST',
  111: 'OBJ',
  112: 'PUT',
  113: 'BINPUT',
  114: 'LONG_BINPUT',
  115: 'SETITEM',
  116: 'TUPLE',
  41: 'EMPTY_TUPLE',
  117: 'SETITEMS',
  71: 'BINFLOAT',
  128: 'PROTO',
  129: 'NEWOBJ',
  130: 'EXT1',
  131: 'EXT2',
  132: 'EXT4',
  133: 'TUPLE1',
  134: 'TUPLE2',
  135: 'TUPLE3',
  136: 'NEWTRUE',
  137: 'NEWFALSE',
  138: 'LONG1',
  139: 'LONG4',
  66: 'BINBYTES',
  67: 'SHORT_BINBYTES',
  140: 'SHORT_BINUNICODE',
  141: 'BINUNICODE8',
  142: 'BINBYTES8',
  143: 'EMPTY_SET',
  144: 'ADDITEMS',
  145: 'FROZENSET',
  146: 'NEWOBJ_EX',
  147: 'STACK_GLOBAL',
  148: 'MEMOIZE',
  149: 'FRAME',
  150: 'BYTEARRAY8',
  151: 'NEXT_BUFFER',
  152: 'READONLY_BUFFER',
};

const HIGHEST_PROTOCOL = 4;

/** Makes a Python tuple: a frozen array, so APPEND and SETITEM cannot change it. */
function tuple(items: unknown[]): readonly unknown[] {
  return Object.freeze(items);
}

/**
 * Reads one pickled value from `bytes`. Throws ModelLoadError naming `fileName`, the opcode
 * and its byte offset for anything outside the supported subset or for truncated data.
 */
export function unpickle(bytes: Uint8Array, fileName: string, options: UnpickleOptions): unknown {
  const reader = new PickleMachine(bytes, fileName, options);
  return reader.run();
}

class PickleMachine {
  private position = 0;
  private opcodeStart = 0;
  private stack: unknown[] = [];
  private readonly marks: number[] = [];
  private readonly memo = new Map<number, unknown>();
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly fileName: string,
    private readonly options: UnpickleOptions,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  run(): unknown {
    for (;;) {
      this.opcodeStart = this.position;
      const opcode = this.readU8();
      if (opcode === 0x2e) return this.pop();
      this.execute(opcode);
    }
  }

  private fail(message: string): never {
    throw new ModelLoadError(this.fileName, `pickle ${message} (at byte ${this.opcodeStart})`);
  }

  private execute(opcode: number): void {
    switch (opcode) {
      case 0x80: {
        const protocol = this.readU8();
        if (protocol > HIGHEST_PROTOCOL) {
          this.fail(
            `protocol ${protocol} is not supported; save with torch.save, which uses protocol 2`,
          );
        }
        return;
      }
      case 0x95: // FRAME: a length prefix for buffering, ignored.
        this.take(8);
        return;
      case 0x28: // MARK
        this.marks.push(this.stack.length);
        return;
      case 0x30: // POP
        this.pop();
        return;
      case 0x31: // POP_MARK
        this.popMark();
        return;

      case 0x4e: // NONE
        this.stack.push(null);
        return;
      case 0x88: // NEWTRUE
        this.stack.push(true);
        return;
      case 0x89: // NEWFALSE
        this.stack.push(false);
        return;
      case 0x4a: // BININT
        this.stack.push(this.view.getInt32(this.take(4), true));
        return;
      case 0x4b: // BININT1
        this.stack.push(this.readU8());
        return;
      case 0x4d: // BININT2
        this.stack.push(this.view.getUint16(this.take(2), true));
        return;
      case 0x8a: // LONG1
        this.stack.push(this.readLong(this.readU8()));
        return;
      case 0x47: // BINFLOAT (big-endian float64)
        this.stack.push(this.view.getFloat64(this.take(8), false));
        return;

      case 0x58: // BINUNICODE
        this.stack.push(this.readText(this.view.getUint32(this.take(4), true)));
        return;
      case 0x8c: // SHORT_BINUNICODE
        this.stack.push(this.readText(this.readU8()));
        return;
      case 0x54: // BINSTRING: Python 2 str, read as Latin-1 like Python 3's encoding='latin1'.
        this.stack.push(this.readLatin1(this.view.getInt32(this.take(4), true)));
        return;
      case 0x55: // SHORT_BINSTRING
        this.stack.push(this.readLatin1(this.readU8()));
        return;
      case 0x42: // BINBYTES
        this.stack.push(this.readBytes(this.view.getUint32(this.take(4), true)));
        return;
      case 0x43: // SHORT_BINBYTES
        this.stack.push(this.readBytes(this.readU8()));
        return;

      case 0x29: // EMPTY_TUPLE
        this.stack.push(tuple([]));
        return;
      case 0x74: // TUPLE
        this.stack.push(tuple(this.popMark()));
        return;
      case 0x85: // TUPLE1
      case 0x86: // TUPLE2
      case 0x87: {
        // TUPLE3
        const count = opcode - 0x84;
        this.stack.push(tuple(this.popMany(count)));
        return;
      }
      case 0x5d: // EMPTY_LIST
        this.stack.push([]);
        return;
      case 0x6c: // LIST
        this.stack.push(this.popMark());
        return;
      case 0x61: // APPEND
        this.appendTo(this.popMany(1));
        return;
      case 0x65: // APPENDS
        this.appendTo(this.popMark());
        return;
      case 0x7d: // EMPTY_DICT
        this.stack.push(new Map());
        return;
      case 0x64: // DICT
        this.stack.push(this.setItems(new Map(), this.popMark()));
        return;
      case 0x73: // SETITEM
        this.setItems(this.peekMap(2), this.popMany(2));
        return;
      case 0x75: {
        // SETITEMS
        const items = this.popMark();
        this.setItems(this.peekMap(0), items);
        return;
      }

      case 0x71: // BINPUT
        this.memo.set(this.readU8(), this.peek());
        return;
      case 0x72: // LONG_BINPUT
        this.memo.set(this.view.getUint32(this.take(4), true), this.peek());
        return;
      case 0x94: // MEMOIZE
        this.memo.set(this.memo.size, this.peek());
        return;
      case 0x68: // BINGET
        this.stack.push(this.memoGet(this.readU8()));
        return;
      case 0x6a: // LONG_BINGET
        this.stack.push(this.memoGet(this.view.getUint32(this.take(4), true)));
        return;

      case 0x63: {
        // GLOBAL: "module\nname\n"
        const module = this.readLine();
        const name = this.readLine();
        this.stack.push(this.options.resolveGlobal(module, name));
        return;
      }
      case 0x93: {
        // STACK_GLOBAL
        const [module, name] = this.popMany(2);
        if (typeof module !== 'string' || typeof name !== 'string') {
          this.fail('STACK_GLOBAL needs two strings on the stack');
        }
        this.stack.push(this.options.resolveGlobal(module, name));
        return;
      }
      case 0x52: {
        // REDUCE
        const [callable, args] = this.popMany(2);
        if (!(callable instanceof PickleCallable)) {
          this.fail('REDUCE on a value that is not an allowed callable');
        }
        if (!Array.isArray(args))
          this.fail(`REDUCE on ${callable.qualifiedName} without an argument tuple`);
        this.stack.push(callable.call(args));
        return;
      }
      case 0x62: {
        // BUILD
        const [state] = this.popMany(1);
        this.options.build(this.peek(), state);
        return;
      }
      case 0x51: {
        // BINPERSID
        const [id] = this.popMany(1);
        this.stack.push(this.options.persistentLoad(id));
        return;
      }
    }

    const name = OPCODE_NAMES[opcode] ?? 'unknown';
    const hex = `0x${opcode.toString(16).padStart(2, '0')}`;
    this.fail(
      `opcode ${name} (${hex}) is not allowed in a state_dict; the file is not a plain state_dict`,
    );
  }

  private take(count: number): number {
    const start = this.position;
    if (start + count > this.bytes.length) {
      this.fail(
        `data ends after ${this.bytes.length} bytes, inside an opcode; the file is truncated`,
      );
    }
    this.position += count;
    return start;
  }

  private readU8(): number {
    return this.bytes[this.take(1)];
  }

  private readBytes(length: number): Uint8Array {
    const start = this.take(length);
    return this.bytes.slice(start, start + length);
  }

  private readText(length: number): string {
    const start = this.take(length);
    return new TextDecoder().decode(this.bytes.subarray(start, start + length));
  }

  private readLatin1(length: number): string {
    if (length < 0) this.fail(`negative string length ${length}`);
    const start = this.take(length);
    let text = '';
    // Chunks keep the argument count of String.fromCharCode small.
    for (let offset = start; offset < start + length; offset += 4096) {
      text += String.fromCharCode(
        ...this.bytes.subarray(offset, Math.min(offset + 4096, start + length)),
      );
    }
    return text;
  }

  private readLine(): string {
    const end = this.bytes.indexOf(0x0a, this.position);
    if (end < 0) this.fail('GLOBAL name has no line end; the file is truncated');
    const text = new TextDecoder().decode(this.bytes.subarray(this.position, end));
    this.position = end + 1;
    return text;
  }

  /** Little-endian two's-complement integer of `length` bytes, as a number when it fits. */
  private readLong(length: number): number | bigint {
    const start = this.take(length);
    let value = 0n;
    for (let i = length - 1; i >= 0; i--) value = (value << 8n) | BigInt(this.bytes[start + i]);
    if (length > 0 && this.bytes[start + length - 1] & 0x80) value -= 1n << BigInt(8 * length);
    const asNumber = Number(value);
    return Number.isSafeInteger(asNumber) ? asNumber : value;
  }

  private peek(): unknown {
    if (this.stack.length === 0) this.fail('stack is empty');
    return this.stack[this.stack.length - 1];
  }

  private pop(): unknown {
    if (this.stack.length === 0 || this.stack.length === this.marks.at(-1)) {
      this.fail('stack is empty');
    }
    return this.stack.pop();
  }

  private popMany(count: number): unknown[] {
    const floor = this.marks.at(-1) ?? 0;
    if (this.stack.length - count < floor) this.fail(`needs ${count} values on the stack`);
    return this.stack.splice(this.stack.length - count, count);
  }

  private popMark(): unknown[] {
    const mark = this.marks.pop();
    if (mark === undefined) this.fail('no MARK on the stack');
    return this.stack.splice(mark, this.stack.length - mark);
  }

  /** Returns the Map `depth` values below the top of the stack. */
  private peekMap(depth: number): Map<unknown, unknown> {
    const target = this.stack[this.stack.length - 1 - depth];
    if (!(target instanceof Map)) this.fail('SETITEM on a value that is not a dict');
    return target;
  }

  private setItems(target: Map<unknown, unknown>, items: unknown[]): Map<unknown, unknown> {
    if (items.length % 2 !== 0) this.fail('SETITEMS needs key-value pairs');
    for (let i = 0; i < items.length; i += 2) target.set(items[i], items[i + 1]);
    return target;
  }

  private appendTo(items: unknown[]): void {
    const target = this.peek();
    if (!Array.isArray(target) || Object.isFrozen(target)) {
      this.fail('APPEND on a value that is not a list');
    }
    target.push(...items);
  }

  private memoGet(index: number): unknown {
    if (!this.memo.has(index)) this.fail(`memo index ${index} was never stored`);
    return this.memo.get(index);
  }
}
