/**
 * The gateway every runtime serves: the kernel's routes and the Console's, composed here so the
 * kernel never imports its UI. `makeApp` is `Kernel.makeApp` with the Console added; `routes`
 * and `layer` are the same composition for a runtime that serves an Effect `HttpRouter` itself.
 */
import { Layer } from "effect"
import { ConsoleRoutes } from "../../console/ConsoleRoutes.ts"
import * as Kernel from "../../kernel/Kernel.ts"

/** The kernel's routes and the Console's, services still required. */
export const routes = Layer.merge(Kernel.routes, ConsoleRoutes)

/** `routes` with the kernel's services provided: what `Kernel.layer` is, plus the Console. */
export const layer = routes.pipe(Layer.provide(Kernel.services))

export const makeApp = <E>(
  dependencies: Layer.Layer<Kernel.KernelDependencies, E>,
  options: Omit<Kernel.MakeAppOptions, "routes">
): Kernel.KernelApp => Kernel.makeApp(dependencies, { ...options, routes: ConsoleRoutes })
