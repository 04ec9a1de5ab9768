// English strings: the reference key set. Every key here has a Vietnamese entry in vi.ts, which
// tests/unit/ui/i18n.test.ts checks. HRM's own names (z_H, z_L, q_halt, q_continue,
// halt_max_steps) are kept as the authors' code spells them.

export const en = {
  app: {
    title: 'HRM Playground',
    tagline: 'Watch a Hierarchical Reasoning Model solve puzzles, one update at a time.',
    language: 'Language',
    locale: { en: 'English', vi: 'Tiếng Việt' },
    theme: 'Theme',
    themes: { system: 'System', light: 'Light', dark: 'Dark' },
  },
  task: { sudoku: 'Sudoku', maze: 'maze' },
  unit: { row: 'row', column: 'column', box: 'box' },
  band: { easy: 'easy', medium: 'medium', hard: 'hard', extreme: 'extreme' },
  board: {
    sudokuLabel: 'Sudoku board',
    mazeLabel: 'Maze board, {{size}} by {{size}}',
    cellGiven: 'Row {{row}}, column {{column}}: {{digit}}, clue',
    cellPredicted:
      'Row {{row}}, column {{column}}: {{digit}}, predicted by HRM with {{confidence}}% confidence',
    cellEmpty: 'Row {{row}}, column {{column}}: empty',
    cellMaze: 'Row {{row}}, column {{column}}: {{value}}',
    legendConfidence: 'HRM’s confidence:',
    legendChanged: 'changed at this update',
    editHint: 'Click a cell and type 1–9 to edit; Delete clears it.',
    conflict: 'conflicts with another digit in its row, column or box',
    wrong: 'differs from the exact solution',
    changed: 'changed at this update',
  },
  maze: {
    wall: 'wall',
    open: 'open',
    start: 'start',
    goal: 'goal',
    pathCell: '{{kind}}, on HRM’s path with {{confidence}}% confidence',
    painter: 'Maze painter',
    noBrush: 'Do not paint',
  },
  timeline: {
    title: 'Timeline',
    initial: 'Initial state, before the first update',
    positionL: 'Segment {{segment}} · H cycle {{hCycle}} · L step {{lStep}}',
    positionH: 'Segment {{segment}} · H cycle {{hCycle}} · H update',
    updateCount: 'update {{index}} of {{total}}',
    play: 'Play',
    pause: 'Pause',
    speed: 'Speed',
    speedValue: '{{value}} updates/s',
    scrubber: 'Timeline position',
    strip: 'Board after each segment',
    jumpToSegment: 'Show the board after segment {{segment}}',
    back: {
      segment: 'Back one segment',
      h_cycle: 'Back one H cycle',
      update: 'Back one update',
    },
    forward: {
      segment: 'Forward one segment',
      h_cycle: 'Forward one H cycle',
      update: 'Forward one update',
    },
    backShort: { segment: '⇤ Seg', h_cycle: '◀◀ H', update: '◀ L' },
    forwardShort: { segment: 'Seg ⇥', h_cycle: 'H ▶▶', update: 'L ▶' },
  },
  compute: {
    title: 'Compute',
    limit_one: 'Limit: {{count}} segment',
    limit_other: 'Limit: {{count}} segments',
    trained: 'Trained with halt_max_steps = {{count}}',
    beyondTrained:
      'Beyond the trained halt_max_steps = {{count}}: inference-time scaling, as in the paper',
    halting: 'Halting',
    mode: { fixed: 'Fixed compute', q_head: 'Q-head halting' },
    modeHint: {
      fixed: 'always run the limit (the authors’ evaluation protocol)',
      q_head: 'stop at the first segment where q_halt > q_continue',
    },
  },
  status: {
    waitingForModel: 'Loading the model…',
    idle: 'Ready.',
    running: 'Running segment {{segment}} of {{limit}}…',
    solvedAt: 'Solved at segment {{segment}}.',
    haltedAt: 'Halted at segment {{segment}} (q_halt > q_continue).',
    wrongWhenHalted: 'The prediction was still wrong when it halted.',
    stillWrong_one: 'Still wrong after {{count}} segment (the limit).',
    stillWrong_other: 'Still wrong after {{count}} segments (the limit).',
    ranSegments_one: 'Ran {{count}} segment.',
    ranSegments_other: 'Ran {{count}} segments.',
    stopped: 'The run was stopped.',
    runAgain: 'Run again',
    failed: 'The run failed: {{message}}',
  },
  problem: {
    noModel: 'No model is loaded yet. Pick one under Model or load your own.',
    wrongTask:
      'The loaded model solves {{task}} puzzles with {{cells}} cells; put such a puzzle on the board or load another model.',
    conflict_one:
      'Invalid puzzle: clue conflict, {{digit}} at {{first}} and {{second}} share a {{unit}}. Change one of them to run HRM.',
    conflict_other:
      'Invalid puzzle: clue conflict, {{digit}} at {{first}} and {{second}} share a {{unit}} ({{more}} more conflicts). Change one of them to run HRM.',
    invalidMaze: 'Invalid maze: {{message}}',
  },
  answer: {
    title: 'Exact solver',
    unique: 'One solution.',
    noSolution:
      'Warning: this puzzle has no solution. HRM still runs, but nothing it predicts can be right.',
    multipleSolutions:
      'Warning: this puzzle has several solutions. HRM runs on it, but accuracy is not scored because there is no single answer.',
    rating:
      'Difficulty rating {{rating}} ({{band}}), the number of backtracks the exact solver needed. Solved in {{ms}} ms.',
    solutionLabel: 'Exact solution',
    mazeShortest: 'Shortest path: {{moves}} moves.',
    pathOptimal: 'HRM’s path: {{moves}} moves, a shortest path.',
    pathLonger:
      'HRM’s path connects start and goal in {{moves}} moves, but is not a shortest path ({{extra}} extra cells).',
    pathBroken:
      'HRM’s path does not connect start and goal: {{breaks}} breaks, {{deadEnds}} dead ends, {{walls}} cells on walls (outlined).',
    mazeUnreachable: 'The goal cannot be reached from the start.',
  },
  charts: {
    title: 'Inside the run',
    updateSize: 'Update size per update:',
    updateSizeDescription:
      'Relative update size ‖z_new − z_old‖ / ‖z_old‖ of z_L and z_H at every update, on a log scale',
    relativeUpdate: 'relative update',
    update: 'update',
    segment: 'segment',
    qValues: 'Q values per segment:',
    qDescription: 'q_halt and q_continue after each segment, with the halting point marked',
    logit: 'logit',
    haltPoint: 'q_halt > q_continue at segment {{segment}}',
    accuracy: 'Blank-cell accuracy per update (dots: exactly right)',
    accuracyMaze: 'Cell accuracy per update against one shortest path (dots: a shortest path)',
    accuracyMazeDescription:
      'Share of maze cells whose predicted token matches the maze with one shortest path marked, at every update',
    accuracyDescription: 'Share of blank cells HRM predicts right at every update',
    cellAccuracy: 'accuracy',
    exactAt: 'Exactly right at update {{index}}',
  },
  puzzle: {
    title: 'Puzzle',
    pasteSudoku: 'Paste a Sudoku: 81 cells on one line or a 9×9 grid; blanks as . 0 or _',
    pasteMaze: 'Paste a maze, one line per row: # wall, space open, S start, G goal',
    usePasted: 'Use pasted puzzle',
    pasteEmpty: 'the text holds no puzzle',
    pasteInvalid: 'Invalid puzzle text: {{message}}',
    band: 'Difficulty',
    randomSudoku: 'Random Sudoku',
    randomMaze: 'Random maze',
    randomFailed: 'No puzzle could be generated: {{message}}',
    gallery_one: 'Gallery ({{count}} puzzle, easiest first)',
    gallery_other: 'Gallery ({{count}} puzzles, easiest first)',
    galleryEntry: '{{band}}, rating {{rating}} · {{source}} line {{line}}',
    findWrong_one: 'Find what this model gets wrong (easiest {{count}} puzzle)',
    findWrong_other: 'Find what this model gets wrong (easiest {{count}} puzzles)',
    checking: 'Checked {{checked}} of {{total}}…',
    wrongCount: 'Wrong on {{wrong}} of {{total}} puzzles at the current limit and halting mode.',
    shelf: 'Puzzles this model gets wrong',
    galleryLoading: 'Loading the gallery…',
    galleryFailed: 'The gallery could not be loaded: {{message}}',
    undo: 'Undo',
    // Parser errors by code, worded as the parsers' own English messages. The UI writes
    // sudoku.invalidCharacter's {{character}} quoted as JSON, and {{positions}} as `position`
    // entries joined by '; ', ending with `morePositions` past the first four.
    parse: {
      sudoku: {
        invalidCharacter:
          'line {{line}}: invalid character {{character}} at column {{column}}; cells are digits 1-9 or . 0 _ for blanks, and | - + or spaces may separate boxes',
        wrongCellCount:
          'line {{line}}: expected 81 cells (a one-line puzzle) or 9 cells (a grid row), found {{cells}}',
        puzzleInsideGrid:
          'line {{line}}: found a one-line puzzle inside the grid that starts at line {{gridStart}}, which has {{rows}} of 9 rows',
        gridTooShort: 'line {{line}}: the grid starting here has {{rows}} rows; expected 9',
        notOnePuzzle:
          'expected exactly one Sudoku puzzle, found {{puzzles}}; give 81 cells on one line or a 9×9 grid',
      },
      maze: {
        emptyText:
          "invalid maze: the text is empty; write one line per row and use only '#' wall, ' ' open, 'S' start, 'G' goal and 'o' path",
        unevenLines:
          'invalid maze: line {{line}} has {{cells}} cells but line 1 has {{firstLineCells}}; every line needs the same number of cells (an editor may have stripped open cells, written as spaces, from the end of a line)',
        notSquare:
          'invalid maze: found {{lines}} lines of {{cells}} cells; a maze must be square, with as many lines as cells per line',
        rowNotSquare:
          'invalid maze row: {{characters}} characters is not the square of a whole number of at least {{minSize}}; a {{minSize}}×{{minSize}} maze has {{minCells}}, a 30×30 maze 900',
        invalidCharacter:
          "invalid maze: line {{line}}, column {{column}} has '{{character}}' ({{codePoint}}); use only '#' wall, ' ' open, 'S' start, 'G' goal and 'o' path",
        tabCharacter:
          "invalid maze: line {{line}}, column {{column}} has a tab; use only '#' wall, ' ' open, 'S' start, 'G' goal and 'o' path",
        tooSmall:
          "invalid maze: a {{size}}×{{size}} grid cannot hold both 'S' and 'G'; use at least {{minSize}}×{{minSize}}",
        missingStart: "invalid maze: no 'S' (start) cell found; mark exactly one open cell as 'S'",
        missingGoal: "invalid maze: no 'G' (goal) cell found; mark exactly one open cell as 'G'",
        repeatedStart:
          "invalid maze: {{count}} 'S' (start) cells found, at {{positions}}; keep exactly one 'S'",
        repeatedGoal:
          "invalid maze: {{count}} 'G' (goal) cells found, at {{positions}}; keep exactly one 'G'",
        invalidSize: 'invalid maze size: {{size}}; use a whole number of at least {{minSize}}',
        wrongCellCount: 'invalid maze: {{cells}} cells for size {{size}}; expected {{expected}}',
        invalidCellCode:
          "invalid maze: cell code {{cellCode}} at line {{line}}, column {{column}}; use {{minCode}} to {{maxCode}} ('#', ' ', 'S', 'G', 'o')",
        unknownCellCode:
          'invalid maze: cell code {{cellCode}} has no character; use codes 1 to {{maxCode}}',
      },
      position: 'line {{line}}, column {{column}}',
      morePositions: 'and {{unlisted}} more',
    },
  },
  model: {
    title: 'Model',
    picker: 'Shipped models',
    option: '{{name}} ({{task}}, {{size}})',
    none: 'No model loaded',
    current: 'Loaded: {{name}}',
    catalogFailed: 'The list of shipped models could not be loaded: {{message}}',
    stage: {
      download: 'Downloading {{label}}…',
      parse: 'Reading the weights of {{label}}…',
      compile: 'Compiling shaders for {{label}}…',
    },
    bytesOf: '{{loaded}} of {{total}}',
    loadFailed: 'The model could not be loaded: {{message}}',
    kept: '{{name}} stays loaded.',
    dropHint:
      'Load your own: drop a .safetensors file here, or the authors’ checkpoint together with its all_config.yaml.',
    pickFiles: 'Choose files…',
    cache: 'Cached models',
    cacheEmpty: 'No models are cached in this browser.',
    cacheFailed: 'The model cache could not be read: {{message}}',
    cacheDelete: 'Delete the cached files of {{id}}',
    delete: 'Delete',
    architecture: 'Architecture and model card',
    source: 'Source: {{source}}',
    noCard: 'This model has no model card.',
  },
  share: {
    title: 'Share and export',
    copyLink: 'Copy link',
    copied: 'Link copied. It opens this exact view.',
    copyFailed: 'The link could not be copied: {{message}}',
    share: 'Share…',
    shareFailed: 'Sharing failed: {{message}}',
    png: 'Board as PNG',
    gif: 'Run as GIF',
    json: 'Run as JSON',
    exportFailed: 'Export failed: {{message}}',
  },
  link: {
    title: 'This link has problems',
    problem: 'Parameter “{{param}}” = “{{value}}”:',
    dismiss: 'Dismiss',
  },
  backend: {
    title: 'Backend',
    pick: 'Backend:',
    option: {
      auto: 'Auto',
      webgpu: 'WebGPU (WGSL)',
      'ort-webgpu': 'onnxruntime-web WebGPU',
      'ort-wasm': 'onnxruntime-web WASM',
      reference: 'TypeScript reference',
    },
    optionNoWebgpu: ' (no WebGPU here)',
    checking: 'Checking WebGPU…',
    webgpuAvailable: 'WebGPU available: {{adapter}}',
    webgpuUnavailable: 'WebGPU unavailable: {{reason}}',
    running: 'Running on {{kind}}',
    runningWebgpu: 'Running on WebGPU (hand-written WGSL kernels) on {{adapter}}.',
    deviceLost: 'The GPU device was lost ({{reason}}: {{message}}); recovering…',
    deviceRecovered: 'The GPU device was recovered; run the puzzle again if the run stopped.',
    recoveryFailed:
      'The GPU device could not be recovered: {{message}}. Reload the page, or load the model again to use another backend.',
    uncapturedError: 'WebGPU error ({{count}} so far): {{message}}',
    because: 'Why: {{reason}}',
    perUpdate_one: '{{ms}} ms per update, mean of {{count}} update',
    perUpdate_other: '{{ms}} ms per update, mean of {{count}} updates',
    kind: {
      webgpu: 'WebGPU (hand-written WGSL)',
      'ort-webgpu': 'onnxruntime-web on WebGPU',
      'ort-wasm': 'onnxruntime-web on WebAssembly',
      reference: 'the TypeScript reference engine',
    },
  },
  shortcuts: {
    title: 'Keyboard shortcuts',
    open: 'Shortcuts (?)',
    close: 'Close',
    help: 'Show this help',
    playPause: 'Play or pause',
    forwardUpdate: 'Forward one update',
    backUpdate: 'Back one update',
    forwardHCycle: 'Forward one H cycle',
    backHCycle: 'Back one H cycle',
    forwardSegment: 'Forward one segment',
    backSegment: 'Back one segment',
    first: 'Initial state',
    last: 'Last recorded update',
    moreSegments: 'One more segment',
    fewerSegments: 'One segment fewer',
    boardKeys:
      'On the Sudoku board: arrow keys move, 1–9 type a digit, Delete, Backspace or 0 clear, Ctrl+Z undoes.',
  },
};

export type Resources = typeof en;
