{{/*
Resource names follow the release name, which the action sets to the agent name, so that two agents
installed under different names never share objects. Kubernetes names stop at 63 characters.
*/}}
{{- define "cloudaeye-metrics-agent.fullname" -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "cloudaeye-metrics-agent.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "cloudaeye-metrics-agent.selectorLabels" -}}
app.kubernetes.io/name: {{ include "cloudaeye-metrics-agent.name" . }}
app.kubernetes.io/instance: {{ .Release.Name | trunc 63 | trimSuffix "-" | quote }}
{{- end -}}

{{- define "cloudaeye-metrics-agent.labels" -}}
{{ include "cloudaeye-metrics-agent.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: metrics-agent
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{- define "cloudaeye-metrics-agent.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "cloudaeye-metrics-agent.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "cloudaeye-metrics-agent.secretName" -}}
{{- default (include "cloudaeye-metrics-agent.fullname" .) .Values.existingSecret -}}
{{- end -}}
