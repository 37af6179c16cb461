{{/* Full name: the release name, with the chart name unless the release already has it. */}}
{{- define "moon-operator.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "moon-operator.labels" -}}
app.kubernetes.io/name: moon-operator
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "moon-operator.selectorLabels" -}}
app.kubernetes.io/name: moon-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "moon-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "moon-operator.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Namespaces watched: all ("") for cluster scope, else the list or the release namespace. */}}
{{- define "moon-operator.watchNamespaces" -}}
{{- if eq .Values.rbac.scope "namespaced" -}}
{{- if .Values.watchNamespaces -}}{{ join "," .Values.watchNamespaces }}{{- else -}}{{ .Release.Namespace }}{{- end -}}
{{- end -}}
{{- end -}}

{{/* The rules the operator needs on MoonClusters and what they own; nothing more. */}}
{{- define "moon-operator.rules" -}}
- apiGroups: ["moon.io"]
  resources: ["moonclusters"]
  verbs: ["get", "list", "watch", "update", "patch"]
- apiGroups: ["moon.io"]
  resources: ["moonclusters/status"]
  verbs: ["get", "update", "patch"]
# Owner references with blockOwnerDeletion need update on the owner's finalizers.
- apiGroups: ["moon.io"]
  resources: ["moonclusters/finalizers"]
  verbs: ["update"]
- apiGroups: ["apps"]
  resources: ["statefulsets"]
  verbs: ["get", "list", "watch", "create", "update", "delete"]
- apiGroups: [""]
  resources: ["services", "configmaps"]
  verbs: ["get", "list", "watch", "create", "update", "delete"]
- apiGroups: ["policy"]
  resources: ["poddisruptionbudgets"]
  verbs: ["get", "list", "watch", "create", "update", "delete"]
# Expanded when a volume grows; deleted with the cluster only if its spec says so.
- apiGroups: [""]
  resources: ["persistentvolumeclaims"]
  verbs: ["get", "list", "patch", "delete"]
# Only to check that spec.auth's Secret exists and to follow its version.
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
{{- end -}}
