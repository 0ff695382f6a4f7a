/** Field shapes the service file's sections share (service-file.ts, plan-section-schema.ts). */
import {z} from 'zod'

export const durationText = z.union([z.string(), z.number()], {
  error: 'expected a duration such as "30s", "2m" or "500ms"',
})
export const rateText = z.union([z.string(), z.number()], {error: 'expected a rate such as 200 or "200/s"'})
export const positiveInt = (what: string) =>
  z
    .number({error: `expected ${what} as a whole number`})
    .int({error: `expected ${what} as a whole number`})
    .positive({error: `${what} must be at least 1`})
