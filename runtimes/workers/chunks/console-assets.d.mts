// The types of console-assets.mjs, which scripts/build-worker-chunks.mjs bundles from this module.
export * from "../../../console/assets.ts"
