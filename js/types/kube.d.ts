// Hand-written: Kubernetes objects as the core reads them (any fields; it reads what it needs).

/** Any Kubernetes object (the core reads what it needs and keeps the rest). */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}
