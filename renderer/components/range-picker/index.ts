// The range picker (R11) for the ticket's Points step.
export { RangePicker, ROW_HEIGHT, type RangePickerProps, type RangePickerSystem } from './RangePicker.tsx';
export type { PointState, RetentionDeletes } from './range-rules.ts';
