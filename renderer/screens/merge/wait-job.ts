// A job followed until it ends, for a step that must wait for it (an agent's unlock after its
// merge): its final view, from its state events or from jobs.get when it ended already.
import type { JobView } from '../../../electron/api/schemas/jobs.ts';
import { FINAL_JOB_STATES } from '../../../electron/api/schemas/jobs.ts';
import { engine } from '../../app/engine.ts';

const ended = (j: JobView) => FINAL_JOB_STATES.includes(j.state) || j.state === 'interrupted';

export function jobEnd(jobId: string): Promise<JobView> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (j: JobView) => {
      if (done || !ended(j)) return;
      done = true;
      off();
      resolve(j);
    };
    const off = engine.followJob(jobId, { state: finish });
    engine.call('jobs.get', { jobId }).then(finish, (e: unknown) => {
      if (done) return;
      done = true;
      off();
      reject(e);
    });
  });
}
