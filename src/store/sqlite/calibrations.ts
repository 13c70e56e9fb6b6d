import type Database from 'better-sqlite3';
import type { CalibrationItemRow, CalibrationRow, Store, VerdictLabel } from '../../domain/types.js';

export type CalibrationTables = Pick<Store, 'saveCalibration' | 'calibrations' | 'judgeVersions'>;

interface ItemRow {
  calibration_id: number;
  question_id: string;
  variant: number;
  turn: number;
  gold_verdict: string;
  gold_intent: number;
  predicted_verdict: string | null;
  predicted_intent: number | null;
}

/** Saved judge calibrations, and which judge versions a run's verdicts came from. */
export function calibrationTables(db: Database.Database): CalibrationTables {
  const insertCalibration = db.prepare(`INSERT INTO calibrations (judge, judge_version, banks_hash, created_at) VALUES (?, ?, ?, ?)`);
  const insertItem = db.prepare(`
    INSERT INTO calibration_items (calibration_id, idx, question_id, variant, turn, gold_verdict, gold_intent, predicted_verdict, predicted_intent)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const selectCalibrations = db.prepare(`
    SELECT id, judge, judge_version AS judgeVersion, banks_hash AS banksHash, created_at AS createdAt
    FROM calibrations WHERE judge = ? ORDER BY created_at DESC, id DESC`);
  const selectItems = db.prepare(`
    SELECT i.* FROM calibration_items i JOIN calibrations c ON c.id = i.calibration_id
    WHERE c.judge = ? ORDER BY i.calibration_id, i.idx`);
  const selectVersions = db.prepare(`
    SELECT v.judge_version AS version, COUNT(*) AS verdicts FROM verdicts v JOIN cases c ON c.id = v.case_id
    WHERE c.run_id = ? AND v.judge = ? GROUP BY v.judge_version ORDER BY verdicts DESC, version`);

  const save = db.transaction((c: Parameters<Store['saveCalibration']>[0]): number => {
    const id = Number(insertCalibration.run(c.judge, c.judgeVersion, c.banksHash, new Date().toISOString()).lastInsertRowid);
    c.items.forEach((item, idx) => {
      const p = item.predicted;
      insertItem.run(id, idx, item.question, item.variant, item.turn, item.gold.verdict, item.gold.intentRecognized ? 1 : 0,
        p?.verdict ?? null, p === null ? null : p.intentRecognized ? 1 : 0);
    });
    return id;
  });

  return {
    saveCalibration: (c) => save(c),
    calibrations(judge) {
      const items = new Map<number, CalibrationItemRow[]>();
      for (const r of selectItems.all(judge) as ItemRow[]) {
        let list = items.get(r.calibration_id);
        if (!list) items.set(r.calibration_id, (list = []));
        list.push(itemOf(r));
      }
      return (selectCalibrations.all(judge) as Omit<CalibrationRow, 'items'>[]).map((c) => ({ ...c, items: items.get(c.id) ?? [] }));
    },
    judgeVersions: (runId, judge) => selectVersions.all(runId, judge) as { version: string; verdicts: number }[],
  };
}

function itemOf(r: ItemRow): CalibrationItemRow {
  return {
    question: r.question_id,
    variant: r.variant,
    turn: r.turn,
    gold: { verdict: r.gold_verdict as VerdictLabel, intentRecognized: r.gold_intent === 1 },
    predicted: r.predicted_verdict === null ? null : { verdict: r.predicted_verdict as VerdictLabel, intentRecognized: r.predicted_intent === 1 },
  };
}
