import { useState } from 'react';
import { go } from '../state/route';
import { notify } from '../state/notices';
import { useWorkspace } from '../state/workspace-store';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { ErrorNote } from '../ui/ErrorNote';

function useCreate() {
  const sync = useWorkspace((s) => s.sync);
  const actor = useWorkspace((s) => s.actor);
  return { sync, actor };
}

export function NewProjectDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { sync, actor } = useCreate();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<{ message: string } | null>(null);
  const submit = async () => {
    if (!sync || !actor) return;
    const result = sync.registry.workspace.createProject(actor, name.trim(), description);
    if (!result.ok) return setError(result.error);
    await sync.openProject(result.value.name);
    notify('success', `Created project ${result.value.name}`);
    setName('');
    setDescription('');
    setError(null);
    onClose();
    go({ page: 'project', project: result.value.name });
  };
  return (
    <Dialog
      title="New project"
      open={open}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" onClick={() => void submit()} disabled={!name.trim()}>
            Create project
          </Button>
        </>
      }
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label className="field">
          <span>Project name</span>
          <input autoFocus value={name} onChange={(e) => setName(e.target.value)} placeholder="vision" aria-describedby="project-name-help" />
          <small id="project-name-help">Letters, digits, “.”, “_” or “-”; it becomes part of names like vision/resnet50:v3.</small>
        </label>
        <label className="field">
          <span>Description</span>
          <input value={description} onChange={(e) => setDescription(e.target.value)} placeholder="What this project trains" />
        </label>
        <ErrorNote error={error} />
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}

export function NewModelDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { sync, actor } = useCreate();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<{ message: string } | null>(null);
  const submit = () => {
    if (!sync || !actor) return;
    const result = sync.registry.workspace.createModel(actor, name.trim(), { description });
    if (!result.ok) return setError(result.error);
    notify('success', `Created registered model ${result.value.name}`);
    setName('');
    setDescription('');
    setError(null);
    onClose();
    go({ page: 'model', model: result.value.name });
  };
  return (
    <Dialog
      title="New registered model"
      open={open}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" onClick={submit} disabled={!name.trim()}>
            Create registered model
          </Button>
        </>
      }
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <label className="field">
          <span>Registered model name</span>
          <input autoFocus value={name} onChange={(e) => setName(e.target.value)} placeholder="fraud-detector" />
          <small>One use case; link the versions that serve it and mark them production or staging.</small>
        </label>
        <label className="field">
          <span>Model card (markdown)</span>
          <textarea rows={4} value={description} onChange={(e) => setDescription(e.target.value)} placeholder="What it does, how it was evaluated, who owns it" />
        </label>
        <ErrorNote error={error} />
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}
