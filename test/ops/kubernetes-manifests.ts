import { join } from "node:path";
import { Deployment } from "kubernetes-models/apps/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { ConfigMap, Secret, Service } from "kubernetes-models/v1";
import { readYaml, readYamlDocuments } from "./repo-files.ts";

/** Loading a kustomization's manifests and checking them against the Kubernetes OpenAPI schemas. */

export interface Kustomization {
  resources?: string[];
  patches?: { path?: string; patch?: string; target?: { kind?: string; name?: string } }[];
  images?: { name: string; newName?: string; newTag?: string; digest?: string }[];
  namespace?: string;
}

export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

export interface LoadedObject {
  file: string;
  object: KubernetesObject;
}

type Validatable = new (data: never) => { validate(): void };

/** The kinds our manifests may use; anything else fails the test until it is added here. */
const modelsByType: Record<string, Validatable> = {
  "apps/v1/Deployment": Deployment,
  "autoscaling/v2/HorizontalPodAutoscaler": HorizontalPodAutoscaler,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "v1/ConfigMap": ConfigMap,
  "v1/Secret": Secret,
  "v1/Service": Service,
};

/** Throws the schema's message when the object violates it (types, required fields, enums). */
export const validateAgainstSchema = (object: KubernetesObject): void => {
  const Model = modelsByType[`${object.apiVersion}/${object.kind}`];
  if (!Model) throw new Error(`no schema registered for ${object.apiVersion} ${object.kind}`);
  new Model(object as never).validate();
};

export const readKustomization = (directory: string) => readYaml<Kustomization>(join(directory, "kustomization.yaml"));

/** Every object of a kustomization's `resources` files (directories are other kustomizations). */
export const loadResources = (directory: string): LoadedObject[] =>
  (readKustomization(directory).resources ?? []).flatMap((resource) =>
    resource.endsWith(".yaml") || resource.endsWith(".yml")
      ? readYamlDocuments(join(directory, resource)).map((object) => ({
          file: join(directory, resource),
          object: object as KubernetesObject,
        }))
      : loadResources(join(directory, resource)),
  );

export const findObject = <T>(objects: LoadedObject[], apiVersion: string, kind: string): T => {
  const matches = objects.filter(({ object }) => object.apiVersion === apiVersion && object.kind === kind);
  if (matches.length !== 1) throw new Error(`expected one ${apiVersion} ${kind}, found ${matches.length}`);
  return matches[0]?.object as T;
};

const binarySuffixes: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
const decimalSuffixes: Record<string, number> = { m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };

/** A Kubernetes quantity (`500m`, `2`, `512Mi`, `1G`) as a plain number of units. */
export const parseQuantity = (quantity: string | number): number => {
  if (typeof quantity === "number") return quantity;
  const [, amount, suffix = ""] = /^(\d+(?:\.\d+)?)([A-Za-z]*)$/.exec(quantity) ?? [];
  const factor = binarySuffixes[suffix] ?? decimalSuffixes[suffix];
  if (amount === undefined || factor === undefined) throw new Error(`not a quantity: ${quantity}`);
  return Number(amount) * factor;
};
