/**
 * The model choice on folds built by hand: every error is chosen so that the geometric mean of
 * the per-fold ratios to the seasonal naive's error can be worked out on paper.
 */
import {describe, expect, it} from 'vitest'
import {chooseModel, leadWeights, type Fold} from '../../src/core/forecast/selection.js'
import type {ModelName} from '../../src/contracts/results/forecast-document.js'

/** A fold whose actuals are all 100 and whose models are off by the given absolute error at every step. */
function fold(errors: Partial<Record<ModelName, number>>): Fold {
  const steps = 4
  return {
    origin: 0,
    actual: Array.from({length: steps}, () => 100),
    scale: 100, // the floor (1 % of the scale) adds 1 to every error
    forecasts: new Map(
      Object.entries(errors).map(([model, error]) => [
        model as ModelName,
        Array.from({length: steps}, () => 100 + (error as number)),
      ]),
    ),
  }
}
const weights = leadWeights(4, 4)

describe('chooseModel', () => {
  it('one fold where the naive copied a spike does not outvote two where the model lost', () => {
    const folds = [
      fold({'seasonal-naive': 999, ets: 1}), // (1 + 1) / (999 + 1) = 0.002
      fold({'seasonal-naive': 9, ets: 299}), // (299 + 1) / (9 + 1) = 30
      fold({'seasonal-naive': 9, ets: 299}), // 30
    ]
    const choice = chooseModel(folds, ['seasonal-naive', 'ets'], weights, 4)
    const [naive, ets] = choice.scores
    // By mean MASE ets would win: (1 + 299 + 299) / 3 / 100 = 2.0 against (999 + 9 + 9) / 3 / 100 = 3.39.
    expect(ets?.mase).toBeCloseTo(599 / 300, 10)
    expect(naive?.mase).toBeCloseTo(1017 / 300, 10)
    // By the geometric mean of the ratios it loses: (0.002 · 30 · 30)^(1/3) = 1.8^(1/3) = 1.216.
    expect(ets?.relative).toBeCloseTo(1.8 ** (1 / 3), 10)
    expect(choice.model).toBe('seasonal-naive')
    expect(choice.reason).toBe('no model beat the seasonal naive by more than 1 % over 3 backtest folds')
    // Where it wins two folds of three, it is chosen: (0.002 · 0.5 · 30)^(1/3) = 0.31.
    const won = chooseModel(
      [
        fold({'seasonal-naive': 999, ets: 1}),
        fold({'seasonal-naive': 9, ets: 4}),
        fold({'seasonal-naive': 9, ets: 299}),
      ],
      ['seasonal-naive', 'ets'],
      weights,
      4,
    )
    expect(won.model).toBe('ets')
  })

  it('the seasonal naive wins a tie within 1 %', () => {
    // ratio (9.95 + 1) / (10 + 1) = 0.9955: not 1 % better.
    const choice = chooseModel([fold({'seasonal-naive': 10, ets: 9.95})], ['seasonal-naive', 'ets'], weights, 4)
    expect(choice.model).toBe('seasonal-naive')
  })

  it('prefers the combination to a single model less than 5 % better, not to one 5 % better', () => {
    // combination 50 / 100 = 0.5; ets 48 / 100 = 0.48 (4 % better): the combination.
    const close = chooseModel(
      [fold({'seasonal-naive': 99, ets: 47, combination: 49})],
      ['seasonal-naive', 'ets', 'combination'],
      weights,
      4,
    )
    expect(close.model).toBe('combination')
    // ets 45 / 100 = 0.45 (10 % better): ets.
    const clear = chooseModel(
      [fold({'seasonal-naive': 99, ets: 44, combination: 49})],
      ['seasonal-naive', 'ets', 'combination'],
      weights,
      4,
    )
    expect(clear.model).toBe('ets')
    expect(clear.reason).toBe("55 % below the seasonal naive's error over 1 backtest folds")
  })

  it('keeps the scores when a model is forced, and falls back to the naive without folds', () => {
    const forced = chooseModel([fold({'seasonal-naive': 1, ets: 50})], ['seasonal-naive', 'ets'], weights, 4, 'ets')
    expect(forced.model).toBe('ets')
    expect(forced.scores).toHaveLength(2)
    expect(chooseModel([], ['seasonal-naive', 'ets'], weights, 4).model).toBe('seasonal-naive')
  })

  it('weights the leads evenly up to the horizon asked, rising past it', () => {
    expect(leadWeights(4, 4)).toEqual([1, 1, 1, 1])
    expect(leadWeights(4, 100)).toEqual([0.25, 0.5, 0.75, 1])
  })
})
