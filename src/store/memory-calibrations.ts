import type { CalibrationItemRow, CalibrationRow, Store } from '../domain/types.js';

/** The memory store's saved calibrations: copies in, copies out, newest first as the SQLite store lists them. */
export function memoryCalibrations(): Pick<Store, 'saveCalibration' | 'calibrations'> {
  const saved: CalibrationRow[] = [];
  return {
    saveCalibration(c) {
      const id = saved.length + 1;
      saved.push({ id, judge: c.judge, judgeVersion: c.judgeVersion, banksHash: c.banksHash, createdAt: new Date().toISOString(), items: c.items.map(copyItem) });
      return id;
    },
    calibrations: (judge) =>
      saved
        .filter((c) => c.judge === judge)
        .sort((a, b) => (a.createdAt === b.createdAt ? b.id - a.id : a.createdAt < b.createdAt ? 1 : -1))
        .map((c) => ({ ...c, items: c.items.map(copyItem) })),
  };
}

function copyItem(i: CalibrationItemRow): CalibrationItemRow {
  return { question: i.question, variant: i.variant, turn: i.turn, gold: { ...i.gold }, predicted: i.predicted && { ...i.predicted } };
}
