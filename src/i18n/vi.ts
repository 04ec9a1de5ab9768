// Vietnamese strings, key for key with en.ts. Vietnamese has one plural form, so counted
// strings have only the `_other` variant. HRM's own names and the terms Vietnamese ML writers
// usually keep in English (segment, H cycle, L step, Q-head, backend, WebGPU) stay as they are.

export const vi = {
  app: {
    title: 'HRM Playground',
    tagline: 'Xem Mô hình Suy luận Phân cấp (HRM) giải câu đố, từng bước cập nhật một.',
    language: 'Ngôn ngữ',
    locale: { en: 'English', vi: 'Tiếng Việt' },
    theme: 'Giao diện',
    themes: { system: 'Theo hệ thống', light: 'Sáng', dark: 'Tối' },
  },
  task: { sudoku: 'Sudoku', maze: 'mê cung' },
  unit: { row: 'hàng', column: 'cột', box: 'khối' },
  band: { easy: 'dễ', medium: 'trung bình', hard: 'khó', extreme: 'cực khó' },
  board: {
    sudokuLabel: 'Bảng Sudoku',
    mazeLabel: 'Bảng mê cung {{size}} × {{size}}',
    cellGiven: 'Hàng {{row}}, cột {{column}}: {{digit}}, số cho sẵn',
    cellPredicted:
      'Hàng {{row}}, cột {{column}}: {{digit}}, HRM dự đoán với độ tin cậy {{confidence}}%',
    cellEmpty: 'Hàng {{row}}, cột {{column}}: trống',
    cellMaze: 'Hàng {{row}}, cột {{column}}: {{value}}',
    legendConfidence: 'Độ tin cậy của HRM:',
    legendChanged: 'thay đổi ở bước này',
    editHint: 'Bấm vào một ô rồi gõ 1–9 để sửa; Delete để xoá.',
    conflict: 'trùng với một số khác trong cùng hàng, cột hoặc khối',
    wrong: 'khác với lời giải chính xác',
    changed: 'vừa thay đổi ở bước cập nhật này',
  },
  maze: {
    wall: 'tường',
    open: 'ô trống',
    start: 'điểm xuất phát',
    goal: 'đích',
    pathCell: '{{kind}}, nằm trên đường đi của HRM với độ tin cậy {{confidence}}%',
    painter: 'Vẽ mê cung',
    noBrush: 'Không vẽ',
  },
  timeline: {
    title: 'Dòng thời gian',
    initial: 'Trạng thái ban đầu, trước bước cập nhật đầu tiên',
    positionL: 'Segment {{segment}} · H cycle {{hCycle}} · L step {{lStep}}',
    positionH: 'Segment {{segment}} · H cycle {{hCycle}} · cập nhật H',
    updateCount: 'bước cập nhật {{index}}/{{total}}',
    play: 'Phát',
    pause: 'Tạm dừng',
    speed: 'Tốc độ',
    speedValue: '{{value}} bước/giây',
    scrubber: 'Vị trí trên dòng thời gian',
    strip: 'Bảng sau mỗi segment',
    jumpToSegment: 'Xem bảng sau segment {{segment}}',
    back: {
      segment: 'Lùi một segment',
      h_cycle: 'Lùi một H cycle',
      update: 'Lùi một bước cập nhật',
    },
    forward: {
      segment: 'Tiến một segment',
      h_cycle: 'Tiến một H cycle',
      update: 'Tiến một bước cập nhật',
    },
    backShort: { segment: '⇤ Seg', h_cycle: '◀◀ H', update: '◀ L' },
    forwardShort: { segment: 'Seg ⇥', h_cycle: 'H ▶▶', update: 'L ▶' },
  },
  compute: {
    title: 'Lượng tính toán',
    limit_other: 'Giới hạn: {{count}} segment',
    trained: 'Được huấn luyện với halt_max_steps = {{count}}',
    beyondTrained:
      'Vượt quá halt_max_steps = {{count}} lúc huấn luyện: mở rộng tính toán khi suy luận, như trong bài báo',
    halting: 'Cơ chế dừng',
    mode: { fixed: 'Tính toán cố định', q_head: 'Dừng theo Q-head' },
    modeHint: {
      fixed: 'luôn chạy đủ giới hạn (giao thức đánh giá của nhóm tác giả)',
      q_head: 'dừng ở segment đầu tiên có q_halt > q_continue',
    },
  },
  status: {
    waitingForModel: 'Đang tải mô hình…',
    idle: 'Sẵn sàng.',
    running: 'Đang chạy segment {{segment}}/{{limit}}…',
    solvedAt: 'Đã giải xong ở segment {{segment}}.',
    haltedAt: 'Đã dừng ở segment {{segment}} (q_halt > q_continue).',
    wrongWhenHalted: 'Dự đoán vẫn còn sai khi mô hình dừng.',
    stillWrong_other: 'Vẫn sai sau {{count}} segment (đã chạm giới hạn).',
    ranSegments_other: 'Đã chạy {{count}} segment.',
    stopped: 'Lượt chạy đã bị dừng.',
    runAgain: 'Chạy lại',
    failed: 'Lượt chạy thất bại: {{message}}',
  },
  problem: {
    noModel:
      'Chưa có mô hình nào được tải. Hãy chọn một mô hình ở mục Mô hình hoặc tải mô hình của bạn.',
    wrongTask:
      'Mô hình đang tải giải câu đố {{task}} có {{cells}} ô; hãy đặt một câu đố như vậy lên bảng hoặc tải mô hình khác.',
    conflict_other:
      'Câu đố không hợp lệ: hai số cho sẵn xung đột, {{digit}} ở {{first}} và {{second}} cùng nằm trong một {{unit}}. Hãy sửa một trong hai số để HRM chạy được.',
    invalidMaze: 'Mê cung không hợp lệ: {{message}}',
  },
  answer: {
    title: 'Bộ giải chính xác',
    unique: 'Có đúng một lời giải.',
    noSolution:
      'Cảnh báo: câu đố này không có lời giải. HRM vẫn chạy, nhưng không dự đoán nào có thể đúng.',
    multipleSolutions:
      'Cảnh báo: câu đố này có nhiều lời giải. HRM vẫn chạy, nhưng độ chính xác không được chấm vì không có một đáp án duy nhất.',
    rating:
      'Độ khó {{rating}} ({{band}}), tức số lần bộ giải chính xác phải quay lui. Giải xong trong {{ms}} ms.',
    solutionLabel: 'Lời giải chính xác',
    mazeShortest: 'Đường đi ngắn nhất: {{moves}} bước.',
    pathOptimal: 'Đường đi của HRM: {{moves}} bước, là một đường đi ngắn nhất.',
    pathLonger:
      'Đường đi của HRM nối điểm xuất phát với đích trong {{moves}} bước, nhưng không phải đường ngắn nhất (thừa {{extra}} ô).',
    pathBroken:
      'Đường đi của HRM không nối được điểm xuất phát với đích: {{breaks}} chỗ đứt, {{deadEnds}} ngõ cụt, {{walls}} ô nằm trên tường (được viền).',
    mazeUnreachable: 'Không thể đi từ điểm xuất phát tới đích.',
  },
  charts: {
    title: 'Bên trong lượt chạy',
    updateSize: 'Độ lớn cập nhật ở mỗi bước:',
    updateSizeDescription:
      'Độ lớn cập nhật tương đối ‖z_new − z_old‖ / ‖z_old‖ của z_L và z_H ở mọi bước cập nhật, theo thang logarit',
    relativeUpdate: 'cập nhật tương đối',
    update: 'bước cập nhật',
    segment: 'segment',
    qValues: 'Giá trị Q sau mỗi segment:',
    qDescription: 'q_halt và q_continue sau mỗi segment, có đánh dấu điểm dừng',
    logit: 'logit',
    haltPoint: 'q_halt > q_continue ở segment {{segment}}',
    accuracy: 'Độ chính xác trên các ô trống ở mỗi bước (chấm: đúng hoàn toàn)',
    accuracyMaze:
      'Độ chính xác theo ô ở mỗi bước, so với một đường đi ngắn nhất (chấm: là đường ngắn nhất)',
    accuracyMazeDescription:
      'Tỉ lệ ô mê cung có token dự đoán trùng với mê cung đã đánh dấu một đường đi ngắn nhất, ở mỗi bước cập nhật',
    accuracyDescription: 'Tỉ lệ ô trống HRM dự đoán đúng ở mỗi bước cập nhật',
    cellAccuracy: 'độ chính xác',
    exactAt: 'Đúng hoàn toàn ở bước cập nhật {{index}}',
  },
  puzzle: {
    title: 'Câu đố',
    pasteSudoku: 'Dán một câu đố Sudoku: 81 ô trên một dòng hoặc lưới 9×9; ô trống là . 0 hoặc _',
    pasteMaze:
      'Dán một mê cung, mỗi dòng một hàng: # tường, dấu cách là ô trống, S xuất phát, G đích',
    usePasted: 'Dùng câu đố vừa dán',
    pasteEmpty: 'văn bản không chứa câu đố nào',
    pasteInvalid: 'Văn bản câu đố không hợp lệ: {{message}}',
    band: 'Độ khó',
    randomSudoku: 'Sudoku ngẫu nhiên',
    randomMaze: 'Mê cung ngẫu nhiên',
    randomFailed: 'Không tạo được câu đố: {{message}}',
    gallery_other: 'Bộ sưu tập ({{count}} câu đố, dễ trước)',
    galleryEntry: '{{band}}, độ khó {{rating}} · {{source}} dòng {{line}}',
    findWrong_other: 'Tìm các câu đố mô hình này giải sai ({{count}} câu dễ nhất)',
    checking: 'Đã kiểm tra {{checked}}/{{total}}…',
    wrongCount: 'Giải sai {{wrong}}/{{total}} câu đố với giới hạn và cơ chế dừng hiện tại.',
    shelf: 'Các câu đố mô hình này giải sai',
    galleryLoading: 'Đang tải bộ sưu tập…',
    galleryFailed: 'Không tải được bộ sưu tập: {{message}}',
    undo: 'Hoàn tác',
    parse: {
      sudoku: {
        invalidCharacter:
          'dòng {{line}}: ký tự {{character}} ở cột {{column}} không hợp lệ; mỗi ô là một chữ số 1-9, hoặc . 0 _ cho ô trống, và có thể ngăn cách các khối bằng | - + hoặc dấu cách',
        wrongCellCount:
          'dòng {{line}}: cần 81 ô (câu đố viết trên một dòng) hoặc 9 ô (một hàng của lưới), nhưng có {{cells}} ô',
        puzzleInsideGrid:
          'dòng {{line}}: có một câu đố viết trên một dòng nằm giữa lưới bắt đầu ở dòng {{gridStart}}, trong khi lưới đó mới có {{rows}}/9 hàng',
        gridTooShort: 'dòng {{line}}: lưới bắt đầu từ dòng này chỉ có {{rows}} hàng; cần đủ 9 hàng',
        notOnePuzzle:
          'cần đúng một câu đố Sudoku nhưng tìm thấy {{puzzles}} câu; hãy nhập 81 ô trên một dòng hoặc một lưới 9×9',
      },
      maze: {
        emptyText:
          "mê cung không hợp lệ: văn bản trống; hãy viết mỗi hàng trên một dòng và chỉ dùng '#' tường, ' ' ô trống, 'S' xuất phát, 'G' đích và 'o' đường đi",
        unevenLines:
          'mê cung không hợp lệ: dòng {{line}} có {{cells}} ô nhưng dòng 1 có {{firstLineCells}} ô; mọi dòng phải có cùng số ô (trình soạn thảo có thể đã xoá các ô trống, tức các dấu cách, ở cuối dòng)',
        notSquare:
          'mê cung không hợp lệ: có {{lines}} dòng, mỗi dòng {{cells}} ô; mê cung phải là hình vuông, số dòng bằng số ô trên mỗi dòng',
        rowNotSquare:
          'mê cung dạng một dòng không hợp lệ: {{characters}} ký tự không phải bình phương của một số nguyên từ {{minSize}} trở lên; mê cung {{minSize}}×{{minSize}} có {{minCells}} ký tự, mê cung 30×30 có 900',
        invalidCharacter:
          "mê cung không hợp lệ: dòng {{line}}, cột {{column}} chứa '{{character}}' ({{codePoint}}); chỉ dùng '#' tường, ' ' ô trống, 'S' xuất phát, 'G' đích và 'o' đường đi",
        tabCharacter:
          "mê cung không hợp lệ: dòng {{line}}, cột {{column}} chứa ký tự tab; chỉ dùng '#' tường, ' ' ô trống, 'S' xuất phát, 'G' đích và 'o' đường đi",
        tooSmall:
          "mê cung không hợp lệ: lưới {{size}}×{{size}} không đủ chỗ cho cả 'S' và 'G'; hãy dùng lưới ít nhất {{minSize}}×{{minSize}}",
        missingStart:
          "mê cung không hợp lệ: không có ô 'S' (xuất phát); hãy đánh dấu đúng một ô trống là 'S'",
        missingGoal:
          "mê cung không hợp lệ: không có ô 'G' (đích); hãy đánh dấu đúng một ô trống là 'G'",
        repeatedStart:
          "mê cung không hợp lệ: có {{count}} ô 'S' (xuất phát), tại {{positions}}; chỉ giữ lại đúng một 'S'",
        repeatedGoal:
          "mê cung không hợp lệ: có {{count}} ô 'G' (đích), tại {{positions}}; chỉ giữ lại đúng một 'G'",
        invalidSize:
          'kích thước mê cung không hợp lệ: {{size}}; hãy dùng một số nguyên từ {{minSize}} trở lên',
        wrongCellCount:
          'mê cung không hợp lệ: có {{cells}} ô cho kích thước {{size}}; cần {{expected}} ô',
        invalidCellCode:
          "mê cung không hợp lệ: mã ô {{cellCode}} tại dòng {{line}}, cột {{column}}; hãy dùng mã từ {{minCode}} đến {{maxCode}} ('#', ' ', 'S', 'G', 'o')",
        unknownCellCode:
          'mê cung không hợp lệ: mã ô {{cellCode}} không ứng với ký tự nào; hãy dùng mã từ 1 đến {{maxCode}}',
      },
      position: 'dòng {{line}}, cột {{column}}',
      morePositions: 'và {{unlisted}} ô khác',
    },
  },
  model: {
    title: 'Mô hình',
    picker: 'Mô hình có sẵn',
    option: '{{name}} ({{task}}, {{size}})',
    none: 'Chưa tải mô hình',
    current: 'Đang dùng: {{name}}',
    catalogFailed: 'Không tải được danh sách mô hình có sẵn: {{message}}',
    stage: {
      download: 'Đang tải xuống {{label}}…',
      parse: 'Đang đọc trọng số của {{label}}…',
      compile: 'Đang biên dịch shader cho {{label}}…',
    },
    bytesOf: '{{loaded}} / {{total}}',
    loadFailed: 'Không tải được mô hình: {{message}}',
    kept: 'Vẫn giữ mô hình {{name}}.',
    dropHint:
      'Tải mô hình của bạn: thả tệp .safetensors vào đây, hoặc checkpoint của nhóm tác giả kèm tệp all_config.yaml.',
    pickFiles: 'Chọn tệp…',
    cache: 'Mô hình đã lưu trong bộ nhớ đệm',
    cacheEmpty: 'Trình duyệt này chưa lưu mô hình nào vào bộ nhớ đệm.',
    cacheFailed: 'Không đọc được bộ nhớ đệm mô hình: {{message}}',
    cacheDelete: 'Xoá các tệp của {{id}} khỏi bộ nhớ đệm',
    delete: 'Xoá',
    architecture: 'Kiến trúc và thẻ mô hình',
    source: 'Nguồn: {{source}}',
    noCard: 'Mô hình này không có thẻ mô hình.',
  },
  share: {
    title: 'Chia sẻ và xuất',
    copyLink: 'Sao chép liên kết',
    copied: 'Đã sao chép liên kết. Liên kết mở đúng khung nhìn này.',
    copyFailed: 'Không sao chép được liên kết: {{message}}',
    share: 'Chia sẻ…',
    shareFailed: 'Chia sẻ thất bại: {{message}}',
    png: 'Bảng dạng PNG',
    gif: 'Lượt chạy dạng GIF',
    json: 'Lượt chạy dạng JSON',
    exportFailed: 'Xuất tệp thất bại: {{message}}',
  },
  link: {
    title: 'Liên kết này có lỗi',
    problem: 'Tham số “{{param}}” = “{{value}}”:',
    dismiss: 'Đóng',
  },
  backend: {
    title: 'Backend',
    pick: 'Chọn backend:',
    option: {
      auto: 'Tự động',
      webgpu: 'WebGPU (WGSL)',
      'ort-webgpu': 'onnxruntime-web WebGPU',
      'ort-wasm': 'onnxruntime-web WASM',
      reference: 'Engine tham chiếu TypeScript',
    },
    optionNoWebgpu: ' (không có WebGPU ở đây)',
    checking: 'Đang kiểm tra WebGPU…',
    webgpuAvailable: 'WebGPU khả dụng: {{adapter}}',
    webgpuUnavailable: 'WebGPU không khả dụng: {{reason}}',
    running: 'Đang chạy trên {{kind}}',
    runningWebgpu: 'Đang chạy trên WebGPU (kernel WGSL viết tay), bộ điều hợp {{adapter}}.',
    deviceLost: 'Mất kết nối với thiết bị GPU ({{reason}}: {{message}}); đang khôi phục…',
    deviceRecovered: 'Đã khôi phục thiết bị GPU; hãy chạy lại câu đố nếu lượt chạy bị dừng.',
    recoveryFailed:
      'Không khôi phục được thiết bị GPU: {{message}}. Hãy tải lại trang, hoặc tải lại mô hình để dùng backend khác.',
    uncapturedError: 'Lỗi WebGPU (đã gặp {{count}} lần): {{message}}',
    because: 'Lý do: {{reason}}',
    perUpdate_other: '{{ms}} ms mỗi bước cập nhật, trung bình trên {{count}} bước',
    kind: {
      webgpu: 'WebGPU (WGSL viết tay)',
      'ort-webgpu': 'onnxruntime-web trên WebGPU',
      'ort-wasm': 'onnxruntime-web trên WebAssembly',
      reference: 'engine tham chiếu viết bằng TypeScript',
    },
  },
  shortcuts: {
    title: 'Phím tắt',
    open: 'Phím tắt (?)',
    close: 'Đóng',
    help: 'Hiện bảng trợ giúp này',
    playPause: 'Phát hoặc tạm dừng',
    forwardUpdate: 'Tiến một bước cập nhật',
    backUpdate: 'Lùi một bước cập nhật',
    forwardHCycle: 'Tiến một H cycle',
    backHCycle: 'Lùi một H cycle',
    forwardSegment: 'Tiến một segment',
    backSegment: 'Lùi một segment',
    first: 'Trạng thái ban đầu',
    last: 'Bước cập nhật cuối cùng đã ghi',
    moreSegments: 'Thêm một segment',
    fewerSegments: 'Bớt một segment',
    boardKeys:
      'Trên bảng Sudoku: phím mũi tên để di chuyển, 1–9 để nhập số, Delete, Backspace hoặc 0 để xoá, Ctrl+Z để hoàn tác.',
  },
};
