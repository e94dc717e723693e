import dagre from '@dagrejs/dagre';
import { Background, Controls, Handle, Position, ReactFlow, type Edge, type Node, type NodeChange, type NodeProps } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useMemo, useState } from 'react';
import type { TaskGraphView, TaskNode, TaskNodeStatus } from '../../../../shared/contract';
import { formatMs, formatUsd } from '../../../../shared/parallel-format';

export const TASK_STATUS_LABEL: Record<TaskNodeStatus, string> = {
  pending: 'Pending', running: 'Running', done: 'Done', failed: 'Failed', blocked: 'Blocked', cancelled: 'Cancelled',
};

const NODE_W = 230;
const NODE_H = 76;

type TaskNodeData = { task: TaskNode; critical: boolean; now: number };
type TaskFlowNode = Node<TaskNodeData, 'task'>;

/** One task: status, tier colour (left stripe), model, duration and cost. */
function TaskBox({ data, selected }: NodeProps<TaskFlowNode>) {
  const t = data.task;
  const ms = t.status === 'running' && t.startedAt ? Math.max(0, data.now - t.startedAt) : t.durationMs;
  return (
    <div
      className={`task-node task-${t.status} tier-edge-${t.tier ?? 'none'}${data.critical ? ' critical' : ''}${selected ? ' selected' : ''}`}
      data-status={t.status}
      aria-label={`Task ${t.id}: ${t.title}, ${TASK_STATUS_LABEL[t.status]}`}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className="task-node-head">
        <span className="mono task-node-id">{t.id}</span>
        <span className={`task-status task-status-${t.status}`}>{TASK_STATUS_LABEL[t.status]}</span>
      </div>
      <div className="task-node-title" title={t.title}>{t.title}</div>
      <div className="task-node-meta">
        <span className="mono" title={t.model ?? 'not routed yet'}>{t.model ?? `${t.kind} · ${t.complexity}`}</span>
        <span>{ms !== null ? `${formatMs(ms)}${t.status === 'running' ? '…' : ''}` : ''}{t.costUsd ? ` · ${formatUsd(t.costUsd)}` : ''}</span>
      </div>
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
}

const NODE_TYPES = { task: TaskBox };

/** dagre's layered layout, left to right: dependencies on the left, the tasks that wait for them to the right. */
function layout(tasks: readonly TaskNode[]): { positions: Map<string, { x: number; y: number }>; width: number; height: number } {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 24, ranksep: 70, marginx: 10, marginy: 10 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const t of tasks) g.setNode(t.id, { width: NODE_W, height: NODE_H });
  for (const t of tasks) for (const d of t.dependsOn) if (tasks.some((x) => x.id === d)) g.setEdge(d, t.id);
  dagre.layout(g);
  const positions = new Map<string, { x: number; y: number }>();
  for (const t of tasks) {
    const n = g.node(t.id) as { x: number; y: number };
    positions.set(t.id, { x: n.x - NODE_W / 2, y: n.y - NODE_H / 2 });
  }
  const label = g.graph() as { width?: number; height?: number };
  return { positions, width: label.width ?? NODE_W, height: label.height ?? NODE_H };
}

/** The DAG, drawn with React Flow and laid out by dagre; the critical path is highlighted. */
export function TaskGraphCanvas({ graph, selectedId, onSelect, now }: { graph: TaskGraphView; selectedId: string | null; onSelect: (taskId: string | null) => void; now: number }) {
  const structure = graph.tasks.map((t) => `${t.id}<${t.dependsOn.join(',')}`).join(';');
  // Re-layout only when the shape changes, not on every status update.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const placed = useMemo(() => layout(graph.tasks), [structure]);
  // The nodes are rebuilt on every update (status, timer). React Flow keeps a node's measured handle
  // positions only when the node it is given carries `measured`; without it every update dropped
  // them and, if the re-measure raced the next update, the edges vanished for good.
  const [measured, setMeasured] = useState<Record<string, { width: number; height: number }>>({});
  const onNodesChange = useCallback((changes: NodeChange<TaskFlowNode>[]) => {
    const sized = changes.flatMap((c) => (c.type === 'dimensions' && c.dimensions ? [[c.id, c.dimensions] as const] : []));
    if (sized.length > 0) setMeasured((m) => ({ ...m, ...Object.fromEntries(sized) }));
  }, []);
  const critical = new Set(graph.metrics.criticalPath.taskIds);
  const path = graph.metrics.criticalPath.taskIds;
  const onPath = (from: string, to: string) => path.some((id, i) => id === from && path[i + 1] === to);

  const nodes: TaskFlowNode[] = graph.tasks.map((t) => ({
    id: t.id,
    type: 'task',
    position: placed.positions.get(t.id) ?? { x: 0, y: 0 },
    data: { task: t, critical: critical.has(t.id) && path.length > 1, now },
    selected: t.id === selectedId,
    draggable: false,
    connectable: false,
    width: NODE_W,
    height: NODE_H,
    ...(measured[t.id] ? { measured: measured[t.id] } : {}),
  }));
  const edges: Edge[] = graph.tasks.flatMap((t) =>
    t.dependsOn.map((d) => ({
      id: `${d}->${t.id}`,
      source: d,
      target: t.id,
      animated: t.status === 'running',
      className: onPath(d, t.id) ? 'critical-edge' : undefined,
    })),
  );
  const height = Math.min(560, Math.max(220, placed.height + 60));
  return (
    <div className="task-canvas" style={{ height }} aria-label="Task graph">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        onNodesChange={onNodesChange}
        fitView
        fitViewOptions={{ padding: 0.12, maxZoom: 1 }}
        minZoom={0.3}
        zoomOnScroll={false}
        preventScrolling={false}
        maxZoom={1.5}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable
        onNodeClick={(_, node) => onSelect(node.id)}
        onPaneClick={() => onSelect(null)}
      >
        <Background gap={18} size={1} />
        <Controls position="top-right" showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
