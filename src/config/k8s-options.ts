/** Defaults of `loadplan k8s` (here, not in src/app, so that the command's help loads nothing else). */
export const K8S_DEFAULTS = {imageName: 'loadplan', cpu: '1', memory: '512Mi', startDelay: '2m'}
